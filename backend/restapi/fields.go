package restapi

import (
	"fmt"
	"regexp"
	"strings"

	"hostbound/backend/apperr"
)

// pmpField is the PMP input field of each domain form field, so that a
// refusal names what the client sent: "HOSTNAME: not a valid hostname,
// IP address or CIDR" where the app's form says "Host Name: ...".
var pmpField = map[string]string{
	// resources and accounts
	"name": "RESOURCENAME", "dnsName": "DNSNAME", "type": "RESOURCETYPE", "description": "RESOURCEDESCRIPTION",
	"url": "RESOURCEURL", "owner": "OWNERNAME", "accountName": "ACCOUNTNAME", "notes": "NOTES",
	"accounts": "ACCOUNTLIST", "reason": "REASON", "ticketId": "TICKETID", "policy": "POLICY",
	// users
	"username": "USERNAME", "fullName": "FULLNAME", "email": "EMAIL", "role": "ROLE", "scope": "ISSUPERADMIN",
	"host": "HOSTNAME", "expiresAt": "EXPIRYDATE", "apiKey": "ISAPIUSER", "confirmPassword": "PASSWORD",
	// both
	"password": "PASSWORD", "department": "DEPARTMENT", "location": "LOCATION",
}

// label is the app form's "Field Name: " (possibly several, "Account 2:
// Account Name: ") before a rule.
var label = regexp.MustCompile(`^(?:[A-Z][A-Za-z0-9 /.]{0,40}: )+`)

// accountsField is a field of one account of a list ("accounts.2.notes").
var accountsField = regexp.MustCompile(`^accounts\.(\d+)\.(\w+)$`)

// inPMPTerms renames the fields of a domain refusal to PMP's. Anything
// else passes unchanged.
func inPMPTerms(err error) error {
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || e.Field == "" {
		return err
	}
	var f apperr.Form
	for _, fe := range formFields(e) {
		name, ok := pmpName(fe.Field)
		if !ok {
			f.Add(fe.Field, "%s", fe.Message)
			continue
		}
		f.Add(name, "%s: %s", name, label.ReplaceAllString(fe.Message, ""))
	}
	out := apperr.As(f.Err())
	out.Err = e.Err
	return out
}

// renamed gives a domain field the name this endpoint reads it by (a new
// password is NEWPASSWORD, not PASSWORD).
func renamed(err error, field, pmp string) error {
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid && e.Field == field && len(e.Fields) < 2 {
		out := apperr.Field(pmp, "%s: %s", pmp, label.ReplaceAllString(e.Message, ""))
		out.Err = e.Err
		return out
	}
	return err
}

func pmpName(field string) (string, bool) {
	if m := accountsField.FindStringSubmatch(field); m != nil {
		inner, ok := pmpField[m[2]]
		return fmt.Sprintf("ACCOUNTLIST[%s].%s", m[1], inner), ok
	}
	if strings.ToUpper(field) == field {
		return field, false // named by the face already
	}
	name, ok := pmpField[field]
	return name, ok
}

// formFields lists every field error of e.
func formFields(e *apperr.Error) []apperr.FieldError {
	if len(e.Fields) > 0 {
		return e.Fields
	}
	return []apperr.FieldError{{Field: e.Field, Message: e.Message}}
}

// message is what the envelope says of a refusal: every field's message.
func message(e *apperr.Error) string {
	if len(e.Fields) < 2 {
		return e.Message
	}
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Message
	}
	return strings.Join(msgs, "; ")
}
