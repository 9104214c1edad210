package restapi

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
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
	return list(c.op, "Resources fetched successfully", rows), nil
}

// list is PMP's answer of rows: totalRows always, Details when there are
// any.
func list(op, msg string, rows []map[string]string) reply {
	rep := success(op, msg, nil)
	n := len(rows)
	rep.body.Operation.TotalRows = &n
	if n > 0 {
		rep.body.Operation.Details = rows
	}
	return rep
}

func accountRow(acct vault.Account) map[string]string {
	return map[string]string{
		"ACCOUNT ID": id(acct.ID), "ACCOUNT NAME": acct.Name, "PASSWDID": id(acct.ID), "PASSWORD STATUS": "****",
		"ISREASONREQUIRED": strconv.FormatBool(acct.ReasonRequired), "IS_TICKETID_REQD": strconv.FormatBool(acct.TicketRequired),
		"IS_TICKETID_REQD_MANDATORY": strconv.FormatBool(acct.TicketMandatory),
	}
}

// resourceRow is a resource in the field names of GET RESOURCE
// ACCOUNTLIST.
func resourceRow(r vault.Resource) map[string]any {
	return map[string]any{
		"RESOURCE ID": id(r.ID), "RESOURCE NAME": r.Name, "RESOURCE DESCRIPTION": r.Description,
		"RESOURCE TYPE": r.Type, "DNS NAME": r.DNSName, "DEPARTMENT": r.Department, "LOCATION": r.Location,
		"RESOURCE URL": r.URL, "RESOURCE OWNER": r.Owner,
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
	row := resourceRow(d.Resource)
	row["ACCOUNT LIST"] = list
	return success(c.op, "Resource details with account list fetched successfully", row), nil
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

// purpose is INPUT_DATA's REASON and TICKETID.
func (c *call) purpose() vault.Purpose {
	return vault.Purpose{Reason: c.in.text("REASON", 1024), TicketID: c.in.text("TICKETID", 256)}
}

func (a *API) password(actor access.Actor, c *call) (reply, error) {
	why := c.purpose()
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	pw, err := a.cfg.Vault.RevealPassword(actor, c.rid, c.aid, why)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, "Password fetched successfully", map[string]string{"PASSWORD": pw}), nil
}

// resourceAccountDetails is getResourceAccountDetails: the resource, and
// the account with its password as a JSON string (Ansible's PMP lookups
// parse ACCOUNTDETAILS so). An account that asks for a missing reason or
// ticket id answers PASSWORD_REASON in place of PASSWORD.
func (a *API) resourceAccountDetails(actor access.Actor, c *call) (reply, error) {
	if c.rid == 0 || c.aid == 0 {
		return reply{}, apperr.Field("RESOURCEID", "RESOURCEID and ACCOUNTID: required, decimal ids")
	}
	why := c.purpose()
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	r, acct, err := a.cfg.Vault.RevealAccount(actor, c.rid, c.aid, why)
	if err != nil && !errors.Is(err, vault.ErrPurposeMissing) {
		return reply{}, err
	}
	row := accountRow(acct)
	row["DESCRIPTION"] = acct.Notes
	delete(row, "PASSWORD STATUS")
	if err != nil {
		row["PASSWORD_REASON"] = apperr.Public(err).Message
	} else {
		row["PASSWORD"] = acct.Password
	}
	text, jerr := json.Marshal(row)
	if jerr != nil {
		return reply{}, jerr
	}
	return success(c.op, "Resource and account details fetched successfully", map[string]any{
		"RESOURCEDETAILS": resourceRow(r), "ACCOUNTDETAILS": string(text),
	}), err
}

func (a *API) changePassword(actor access.Actor, c *call) (reply, error) {
	why, pw := c.purpose(), c.in.text("NEWPASSWORD", 4096)
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if err := a.cfg.Vault.ChangePassword(actor, c.rid, c.aid, pw, why); err != nil {
		return reply{}, renamed(err, "password", "NEWPASSWORD")
	}
	return success(c.op, "Password changed successfully", nil), nil
}

func (a *API) resourceTypes(actor access.Actor, c *call) (reply, error) {
	types, err := a.cfg.Vault.ResourceTypes(actor)
	if err != nil {
		return reply{}, err
	}
	rows := make([]map[string]string, len(types))
	for i, t := range types {
		rows[i] = map[string]string{"RESOURCE TYPE": t}
	}
	return list(c.op, "Resource types fetched successfully", rows), nil
}

// generatePassword takes the policy as POLICY (query) or in INPUT_DATA.
func (a *API) generatePassword(actor access.Actor, c *call) (reply, error) {
	policy := c.query("POLICY")
	if v, ok := c.in.str("POLICY", 64); ok {
		policy = v
	}
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	pw, err := a.cfg.Vault.GeneratePassword(actor, policy)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, "Password generated successfully", map[string]string{"PASSWORD": pw}), nil
}

func (a *API) accessRequests(actor access.Actor, c *call) (reply, error) {
	reqs, err := a.cfg.Vault.PasswordAccessRequests(actor)
	if err != nil {
		return reply{}, err
	}
	rows := make([]map[string]string, len(reqs))
	for i, r := range reqs {
		rows[i] = map[string]string{"RESOURCE ID": id(r.ResourceID), "ACCOUNT ID": id(r.AccountID),
			"REQUESTER": r.Requester, "REASON": r.Reason}
	}
	return list(c.op, "Password access requests fetched successfully", rows), nil
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
