package sshcli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gliderlabs/ssh"
	"github.com/sirupsen/logrus"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/vault"
)

// Exit statuses of a session.
const (
	ExitOK      = 0
	ExitRefused = 1 // the domain refused (not shared, no permission, invalid value…)
	ExitUsage   = 2 // not a command in PMP's syntax; no shell, no PTY
)

// spec is one command's options.
type spec struct {
	required, optional []string
	synopsis           string
}

var commands = map[string]spec{
	"RETRIEVE": {required: []string{"resource", "account"}, optional: []string{"reason", "ticketid"},
		synopsis: "RETRIEVE --resource=NAME --account=NAME [--reason=TEXT] [--ticketid=ID]"},
	"RESET_LOCAL": {required: []string{"resource", "account", "newpassword"}, optional: []string{"reason"},
		synopsis: "RESET_LOCAL --resource=NAME --account=NAME --newpassword=PASSWORD [--reason=TEXT]"},
	"HELP": {synopsis: "HELP"},
}

// helpText is HELP's answer.
const helpText = "Hostbound SSH CLI (PMP's A2A SSH CLI syntax). Commands:\r\n" +
	"  RETRIEVE --resource=NAME --account=NAME [--reason=TEXT] [--ticketid=ID]\r\n" +
	"      prints the account's password followed by CRLF\r\n" +
	"  RESET_LOCAL --resource=NAME --account=NAME --newpassword=PASSWORD [--reason=TEXT]\r\n" +
	"      changes the password stored in Hostbound (needs the modify permission)\r\n" +
	"  HELP\r\n" +
	"      this list\r\n" +
	"Quote values with spaces: --reason=\"nightly backup\". Exit status: 0 done, 1 refused, 2 usage.\r\n"

// check matches c's options against its command.
func check(c Command) error {
	sp, ok := commands[c.Name]
	if !ok {
		return usage("unknown command %q. Commands: RETRIEVE, RESET_LOCAL, HELP", clip(c.Name))
	}
	for name := range c.Options {
		if !slices.Contains(sp.required, name) && !slices.Contains(sp.optional, name) {
			return usage("unknown option --%s for %s. Usage: %s", name, c.Name, sp.synopsis)
		}
	}
	for _, name := range sp.required {
		if _, ok := c.Options[name]; !ok {
			return usage("missing option --%s. Usage: %s", name, sp.synopsis)
		}
	}
	return nil
}

// session runs one exec request for the authenticated actor.
func (s *Server) session(sess ssh.Session) {
	st := stateOf(sess.Context())
	log := s.log.WithFields(logrus.Fields{"user": sess.User(), "remote": sourceOf(sess.RemoteAddr()).String()})
	fail := func(code int, msg string) {
		_, _ = io.WriteString(sess.Stderr(), msg+"\r\n")
		_ = sess.Exit(code)
	}
	actor := st.authenticated()
	// refuse answers and audits what reaches no use case; the domain
	// audits the rest itself.
	refuse := func(what, msg string) {
		if s.cfg.Trail != nil {
			s.cfg.Trail.Refuse(*actor, "ssh command", what, msg)
		}
		fail(ExitUsage, msg)
	}
	switch {
	case actor == nil: // not reached: the channel handler checks it
		fail(ExitRefused, "Authentication failed.")
		return
	case st.pty.Load():
		log.Info("SSH CLI: PTY refused")
		refuse("PTY", "PTY allocation is not supported: run one command without -t, e.g. HELP")
		return
	case strings.TrimSpace(sess.RawCommand()) == "":
		log.Info("SSH CLI: shell refused")
		refuse("shell", "There is no shell: give a command, e.g. HELP")
		return
	}
	c, err := ParseCommand(sess.RawCommand())
	if err == nil {
		err = check(c)
	}
	if err != nil {
		log.WithField("reason", err.Error()).Info("SSH CLI: usage error")
		refuse(clip(c.Name), "Invalid command: "+strings.TrimPrefix(err.Error(), ErrUsage.Error()+": "))
		return
	}
	log = log.WithField("op", c.Name)
	out, err := s.run(*actor, c)
	if err != nil {
		if e := apperr.As(err); e != nil && e.Code != apperr.Internal {
			log.WithField("reason", e.Message).Info("SSH CLI: refused")
			fail(ExitRefused, message(e))
			return
		}
		log.WithError(err).Error("SSH CLI command failed")
		fail(ExitRefused, "Internal error")
		return
	}
	_, _ = io.WriteString(sess, out)
	_ = sess.Exit(ExitOK)
}

// message renders a refusal: every field error of a form.
func message(e *apperr.Error) string {
	if len(e.Fields) > 1 {
		msgs := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			msgs[i] = f.Message
		}
		return strings.Join(msgs, "; ")
	}
	return e.Message
}

// run calls the one domain method of c and renders its answer.
func (s *Server) run(a access.Actor, c Command) (string, error) {
	o := c.Options
	why := vault.Purpose{Reason: o["reason"], TicketID: o["ticketid"]}
	switch c.Name {
	case "RETRIEVE":
		pw, err := s.cfg.Vault.RevealPasswordByName(a, o["resource"], o["account"], why)
		if err != nil {
			return "", err
		}
		return pw + "\r\n", nil
	case "RESET_LOCAL":
		if err := s.cfg.Vault.ChangePasswordByName(a, o["resource"], o["account"], o["newpassword"], why); err != nil {
			return "", err
		}
		return fmt.Sprintf("Password changed for account %s of resource %s\r\n", o["account"], o["resource"]), nil
	case "HELP":
		return helpText, nil
	}
	return "", errors.New("unreachable: unchecked command " + c.Name)
}
