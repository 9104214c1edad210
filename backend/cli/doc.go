// Package cli is Hostbound's command-line face: the cobra commands of the
// one binary (`hostbound init`, `serve`, `apiuser …`, `audit …`,
// `version`; with no sub-command the desktop window, which main hands in).
//
// Like every face it only parses, calls one domain method and renders the
// answer: each command opens the data directory (the lock, then the master
// key from the OS keyring or HOSTBOUND_PASSPHRASE_FILE), logs in as an
// operator (--operator or HOSTBOUND_OPERATOR; the password from the
// terminal without echo, or HOSTBOUND_OPERATOR_PASSWORD_FILE) and acts as
// that operator with source "cli", so the domain's rules and audit records
// are the same as the desktop's. Secrets are never taken from argv and
// never logged.
//
// # Exit codes
//
//	0  done
//	1  refused or failed (the domain's message, every field error; the data
//	   directory in use; a wrong password or passphrase)
//	2  usage: an unknown command or flag, a missing or extra argument
//
// # Adding a command
//
// A command is one file with one function that builds it and hangs it on
// its parent, plus its line in [register] (commands.go):
//
//	// backup.go
//	func addBackup(root *cobra.Command, env *Env) {
//		cmd := &cobra.Command{
//			Use:     "backup FILE",
//			Short:   "Write an encrypted backup of the data directory",
//			Example: "  hostbound backup /srv/backups/hostbound.hbk --operator admin",
//			Args:    exactArgs(1),
//			RunE: func(cmd *cobra.Command, args []string) error {
//				s, err := env.Open(cmd) // lock, unlock, log in
//				if err != nil {
//					return err
//				}
//				defer s.Close()
//				p := env.Progress(total, "backup") // a bar on a terminal, lines otherwise
//				…s.Services.Backup…(s.Actor, …)
//				p.Done("…")
//				return nil
//			},
//		}
//		operatorFlags(cmd) // --operator, --passphrase-file
//		root.AddCommand(cmd)
//	}
//
// What a command has at hand: [Env.Open] (a [Session]: the services, the
// operator's Actor, the log, the data directory), [Env.OpenDir] (only the
// lock and the open store, for a command that must not log in, such as
// restore into an empty directory), [Env.Secret] (a secret from a file
// named by an environment variable or from the terminal, asked twice when
// it is new), [Env.Progress], [Env.Printf]/[Env.Errorf] for stdout and
// stderr, [exactArgs]/[usagef] for usage errors (exit 2). A returned
// *apperr.Error is printed with every field error and exits 1; any other
// error is logged and shown as "internal error" unless made with [failf].
package cli
