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
// its parent, plus its line in register (commands.go), which is the whole
// list of commands in the order --help shows them:
//
//	// backup.go
//	func addBackup(root *cobra.Command, env *Env) {
//		cmd := &cobra.Command{
//			Use:     "backup FILE",
//			Short:   "Write an encrypted backup of the data directory",
//			Example: "  hostbound backup /srv/backups/hostbound.hbk --operator admin",
//			Args:    exactArgs("FILE"), // a missing or extra argument exits 2
//			RunE: func(cmd *cobra.Command, args []string) error {
//				s, err := env.Open(cmd) // lock, unlock, log in as the operator
//				if err != nil {
//					return err
//				}
//				defer s.Close()
//				pass, err := env.Secret("the backup passphrase", "HOSTBOUND_BACKUP_PASSPHRASE_FILE", "", true)
//				…
//				p := env.Progress(total, "backup") // a bar on a terminal, lines otherwise
//				… s.Services.Backup …(s.Actor, …, func(n int64) { p.Set(n) })
//				p.Done("")
//				env.Errorf("Wrote %s.\n", args[0])
//				return nil
//			},
//		}
//		operatorFlags(cmd) // --operator, --passphrase-file
//		root.AddCommand(cmd)
//	}
//
//	// commands.go, in register:
//	addBackup(root, env)
//
// A sub-command of an existing group finds its parent among
// root.Commands() by name (see addAPIUserImport).
//
// What a command has at hand:
//   - [Env.Open]: a [Session] (the services, the operator's Actor with
//     source "cli", the log, the data directory); Close it.
//   - [Env.OpenDir]: the same without logging in; [Env.lockDir] only the
//     lock (with create, the directory is made: init, a restore into a new
//     directory).
//   - [Env.Secret]: a secret from a file (a flag's path, or the file an
//     environment variable names) or from the terminal without echo, asked
//     twice when confirm; never from argv.
//   - [Env.Progress], [Env.Printf] (stdout: what scripts read),
//     [Env.Errorf] (stderr: messages), [Env.printJSON] for --json.
//   - usagef and exactArgs for usage errors (exit 2); failf for a message
//     shown as it is (exit 1). A returned *apperr.Error is printed with
//     every field error (exit 1); any other error is logged and shown as
//     "internal error" (exit 1).
//
// Tests run commands in-process over a real data directory in
// t.TempDir() (helpers_test.go: newFixture, run, must, refused).
package cli
