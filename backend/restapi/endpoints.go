package restapi

import (
	"time"

	"hostbound/backend/access"
	"hostbound/backend/vault"
)

// Each endpoint calls one vault use case and renders its answer in PMP's
// field names.

func (a *API) listResources(actor access.Actor, c *call) (reply, error) {
	rs, err := a.cfg.Vault.ListResources(actor)
	if err != nil {
		return reply{}, err
	}
	rows := make([]map[string]string, 0, len(rs))
	for _, r := range rs {
		rows = append(rows, map[string]string{
			"RESOURCE ID": id(r.ID), "RESOURCE NAME": r.Name, "RESOURCE DESCRIPTION": r.Description,
			"RESOURCE TYPE": r.Type, "NOOFACCOUNTS": id(uint64(r.Accounts)),
		})
	}
	rep := success(c.op, "Resources fetched successfully", nil)
	n := len(rows)
	rep.body.Operation.TotalRows = &n
	if n > 0 {
		rep.body.Operation.Details = rows
	}
	return rep, nil
}

func accountRow(acct vault.Account) map[string]string {
	return map[string]string{
		"ACCOUNT ID": id(acct.ID), "ACCOUNT NAME": acct.Name, "PASSWDID": id(acct.ID), "PASSWORD STATUS": "****",
		"ISREASONREQUIRED": "false", "IS_TICKETID_REQD": "false", "IS_TICKETID_REQD_MANDATORY": "false",
	}
}

func (a *API) accountList(actor access.Actor, c *call) (reply, error) {
	d, err := a.cfg.Vault.GetResource(actor, c.rid)
	if err != nil {
		return reply{}, err
	}
	list := make([]map[string]string, len(d.Accounts))
	for i, acct := range d.Accounts {
		list[i] = accountRow(acct)
	}
	r := d.Resource
	return success(c.op, "Resource details with account list fetched successfully", map[string]any{
		"RESOURCE ID": id(r.ID), "RESOURCE NAME": r.Name, "RESOURCE DESCRIPTION": r.Description,
		"RESOURCE TYPE": r.Type, "DNS NAME": r.DNSName, "DEPARTMENT": r.Department, "LOCATION": r.Location,
		"RESOURCE URL": r.URL, "RESOURCE OWNER": r.Owner, "ACCOUNT LIST": list,
	}), nil
}

func (a *API) accountDetails(actor access.Actor, c *call) (reply, error) {
	r, acct, err := a.cfg.Vault.GetAccount(actor, c.rid, c.aid)
	if err != nil {
		return reply{}, err
	}
	d := accountRow(acct)
	d["DESCRIPTION"] = acct.Notes
	d["LAST MODIFIED TIME"] = acct.UpdatedAt.Format(time.RFC3339)
	d["RESOURCE ID"], d["RESOURCE NAME"] = id(r.ID), r.Name
	return success(c.op, "Account details fetched successfully", d), nil
}

func (a *API) password(actor access.Actor, c *call) (reply, error) {
	pw, err := a.cfg.Vault.RevealPassword(actor, c.rid, c.aid, vault.Purpose{Reason: c.input.Reason, TicketID: c.input.TicketID})
	if err != nil {
		return reply{}, err
	}
	return success(c.op, "Password fetched successfully", map[string]string{"PASSWORD": pw}), nil
}

func (a *API) changePassword(actor access.Actor, c *call) (reply, error) {
	err := a.cfg.Vault.ChangePassword(actor, c.rid, c.aid, c.input.NewPassword, vault.Purpose{Reason: c.input.Reason, TicketID: c.input.TicketID})
	if err != nil {
		return reply{}, err
	}
	return success(c.op, "Password changed successfully", nil), nil
}

func (a *API) idsByName(actor access.Actor, c *call) (reply, error) {
	rid, aid, err := a.cfg.Vault.AccountIDByName(actor, c.name, c.account)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, "Resource ID and account ID fetched successfully",
		map[string]string{"RESOURCEID": id(rid), "ACCOUNTID": id(aid)}), nil
}

func (a *API) resourceIDByName(actor access.Actor, c *call) (reply, error) {
	rid, err := a.cfg.Vault.ResourceIDByName(actor, c.name)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, "Resource ID fetched successfully", map[string]string{"RESOURCEID": id(rid)}), nil
}
