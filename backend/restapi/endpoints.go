package restapi

import (
	"net/http"
	"time"

	"hostbound/backend/store"
	"hostbound/backend/vault"
)

func (a *API) listResources(tx *store.Txn, c *call, p vault.Principal) (reply, error) {
	rs, err := vault.ListResources(tx, p)
	if err != nil {
		return reply{}, err
	}
	rows := make([]map[string]string, 0, len(rs))
	for _, r := range rs {
		accts, err := vault.Accounts(tx, p, r.ID)
		if err != nil {
			return reply{}, err
		}
		rows = append(rows, map[string]string{
			"RESOURCE ID": id(r.ID), "RESOURCE NAME": r.Name, "RESOURCE DESCRIPTION": r.Description,
			"RESOURCE TYPE": r.Type, "NOOFACCOUNTS": id(uint64(len(accts))),
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

func accountRow(r vault.Resource, acct vault.Account) map[string]string {
	return map[string]string{
		"ACCOUNT ID": id(acct.ID), "ACCOUNT NAME": acct.Name, "PASSWDID": id(acct.ID), "PASSWORD STATUS": "****",
		"ISREASONREQUIRED": "false", "IS_TICKETID_REQD": "false", "IS_TICKETID_REQD_MANDATORY": "false",
	}
}

func (a *API) accountList(tx *store.Txn, c *call, p vault.Principal) (reply, error) {
	r, err := vault.GetResource(tx, p, c.rid)
	if err != nil {
		return notFound(c.op, err)
	}
	accts, err := vault.Accounts(tx, p, c.rid)
	if err != nil {
		return notFound(c.op, err)
	}
	list := make([]map[string]string, len(accts))
	for i, acct := range accts {
		list[i] = accountRow(r, acct)
	}
	c.target = r.Name
	return success(c.op, "Resource details with account list fetched successfully", map[string]any{
		"RESOURCE ID": id(r.ID), "RESOURCE NAME": r.Name, "RESOURCE DESCRIPTION": r.Description,
		"RESOURCE TYPE": r.Type, "DNS NAME": r.DNSName, "DEPARTMENT": r.Department, "LOCATION": r.Location,
		"RESOURCE URL": r.URL, "RESOURCE OWNER": r.Owner, "ACCOUNT LIST": list,
	}), nil
}

func (a *API) accountDetails(tx *store.Txn, c *call, p vault.Principal) (reply, error) {
	r, acct, err := vault.GetAccount(tx, p, c.rid, c.aid)
	if err != nil {
		return notFound(c.op, err)
	}
	c.target = r.Name + " / " + acct.Name
	d := accountRow(r, acct)
	d["DESCRIPTION"] = acct.Notes
	d["LAST MODIFIED TIME"] = acct.UpdatedAt.Format(time.RFC3339)
	d["RESOURCE ID"], d["RESOURCE NAME"] = id(r.ID), r.Name
	return success(c.op, "Account details fetched successfully", d), nil
}

func (a *API) password(tx *store.Txn, c *call, p vault.Principal) (reply, error) {
	r, acct, err := vault.Password(tx, p, c.rid, c.aid)
	if err != nil {
		return notFound(c.op, err)
	}
	c.target = r.Name + " / " + acct.Name
	return success(c.op, "Password fetched successfully", map[string]string{"PASSWORD": acct.Password}), nil
}

func (a *API) changePassword(tx *store.Txn, c *call, p vault.Principal) (reply, error) {
	if c.input.NewPassword == "" {
		return failure(http.StatusBadRequest, c.op, "INPUT_DATA must hold operation.Details.NEWPASSWORD"), nil
	}
	r, acct, err := vault.ChangePassword(tx, p, c.rid, c.aid, c.input.NewPassword, a.cfg.Clock())
	if err != nil {
		return notFound(c.op, err)
	}
	c.target = r.Name + " / " + acct.Name
	return success(c.op, "Password changed successfully", nil), nil
}

func (a *API) idsByName(tx *store.Txn, c *call, p vault.Principal) (reply, error) {
	rid, aid, err := vault.AccountIDByName(tx, p, c.name, c.account)
	if err != nil {
		return notFound(c.op, err)
	}
	return success(c.op, "Resource ID and account ID fetched successfully",
		map[string]string{"RESOURCEID": id(rid), "ACCOUNTID": id(aid)}), nil
}

func (a *API) resourceIDByName(tx *store.Txn, c *call, p vault.Principal) (reply, error) {
	rid, err := vault.ResourceIDByName(tx, p, c.name)
	if err != nil {
		return notFound(c.op, err)
	}
	return success(c.op, "Resource ID fetched successfully", map[string]string{"RESOURCEID": id(rid)}), nil
}
