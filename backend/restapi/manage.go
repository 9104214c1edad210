package restapi

import (
	"fmt"

	"hostbound/backend/access"
	"hostbound/backend/vault"
)

// Writes to the vault: INPUT_DATA's Details in PMP's field names, one
// domain call each (a resource with its first account is one
// transaction). Sizes here only bound what is read; the domain's rules
// (and its messages, renamed to PMP's fields) decide what is kept.

const maxText = 4096

// resourcePatch reads a resource's fields; a field absent (or, for
// OWNERNAME, blank) is left as it is.
func (c *call) resourcePatch() vault.ResourcePatch {
	d := c.in
	pt := vault.ResourcePatch{
		Name: d.opt("RESOURCENAME", maxText), DNSName: d.opt("DNSNAME", maxText), Type: d.opt("RESOURCETYPE", maxText),
		Description: d.opt("RESOURCEDESCRIPTION", maxText), Department: d.opt("DEPARTMENT", maxText),
		Location: d.opt("LOCATION", maxText), URL: d.opt("RESOURCEURL", maxText), Owner: d.opt("OWNERNAME", maxText),
	}
	if pt.Owner != nil && *pt.Owner == "" {
		pt.Owner = nil
	}
	return pt
}

// accountInput reads one account of INPUT_DATA (or of its ACCOUNTLIST).
func accountInput(d details) vault.AccountInput {
	in := vault.AccountInput{Name: d.text("ACCOUNTNAME", maxText), Password: d.text("PASSWORD", maxText),
		Notes: d.text("NOTES", maxText)}
	in.ReasonRequired, _ = d.flag("ISREASONREQUIRED")
	in.TicketRequired, _ = d.flag("IS_TICKETID_REQD")
	in.TicketMandatory, _ = d.flag("IS_TICKETID_REQD_MANDATORY")
	return in
}

func (a *API) createResource(actor access.Actor, c *call) (reply, error) {
	d := c.in
	rin := vault.ResourceInput{Name: d.text("RESOURCENAME", maxText), DNSName: d.text("DNSNAME", maxText),
		Type: d.text("RESOURCETYPE", maxText), Description: d.text("RESOURCEDESCRIPTION", maxText),
		Department: d.text("DEPARTMENT", maxText), Location: d.text("LOCATION", maxText),
		URL: d.text("RESOURCEURL", maxText), Owner: d.text("OWNERNAME", maxText)}
	ain := accountInput(c.in)
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	r, acct, err := a.cfg.Vault.CreateResourceWithAccount(actor, rin, ain)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, fmt.Sprintf("Resource %s has been added successfully", r.Name),
		map[string]string{"RESOURCEID": id(r.ID), "ACCOUNTID": id(acct.ID)}), nil
}

func (a *API) editResource(actor access.Actor, c *call) (reply, error) {
	pt := c.resourcePatch()
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	r, err := a.cfg.Vault.PatchResource(actor, c.rid, pt)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, fmt.Sprintf("Resource %s modified successfully.", r.Name), nil), nil
}

func (a *API) deleteResource(actor access.Actor, c *call) (reply, error) {
	if err := a.cfg.Vault.DeleteResource(actor, c.rid); err != nil {
		return reply{}, err
	}
	return success(c.op, "Resource deleted successfully", nil), nil
}

// addAccounts is ACCOUNTLIST: all the accounts, or none.
func (a *API) addAccounts(actor access.Actor, c *call) (reply, error) {
	items := c.in.list("ACCOUNTLIST", 500)
	ins := make([]vault.AccountInput, len(items))
	for i, it := range items {
		ins[i] = accountInput(it)
	}
	if err := c.in.err(items...); err != nil {
		return reply{}, err
	}
	if len(ins) == 0 {
		c.in.form.Add("ACCOUNTLIST", "ACCOUNTLIST: required, a list of accounts with ACCOUNTNAME and PASSWORD")
		return reply{}, c.in.err()
	}
	accts, err := a.cfg.Vault.CreateAccounts(actor, c.rid, ins)
	if err != nil {
		return reply{}, err
	}
	rows := make([]map[string]map[string]string, len(accts))
	for i, x := range accts {
		rows[i] = map[string]map[string]string{x.Name: {"STATUS": "Account added successfully", "ACCOUNTID": id(x.ID)}}
	}
	return success(c.op, "Account(s) added successfully", rows), nil
}

func (a *API) editAccount(actor access.Actor, c *call) (reply, error) {
	d := c.in
	pt := vault.AccountPatch{Name: d.opt("ACCOUNTNAME", maxText), Password: d.opt("PASSWORD", maxText),
		Notes: d.opt("NOTES", maxText), ReasonRequired: d.optFlag("ISREASONREQUIRED"),
		TicketRequired: d.optFlag("IS_TICKETID_REQD"), TicketMandatory: d.optFlag("IS_TICKETID_REQD_MANDATORY")}
	if err := d.err(); err != nil {
		return reply{}, err
	}
	acct, err := a.cfg.Vault.PatchAccount(actor, c.rid, c.aid, pt)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, fmt.Sprintf("Account %s modified successfully", acct.Name), nil), nil
}

func (a *API) deleteAccount(actor access.Actor, c *call) (reply, error) {
	if err := a.cfg.Vault.DeleteAccount(actor, c.rid, c.aid); err != nil {
		return reply{}, err
	}
	return success(c.op, "Account deleted successfully", nil), nil
}
