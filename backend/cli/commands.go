package cli

import "github.com/spf13/cobra"

// register hangs every command on root: one line per command, each built in
// its own file (see "Adding a command" in the package doc).
func register(root *cobra.Command, env *Env) {
	addVersion(root, env)
	addInit(root, env)
	addServe(root, env)
	addAPIUser(root, env)
	addAPIUserImport(root, env)
	addAudit(root, env)
	addBackup(root, env)
	addRestore(root, env)
	addStore(root, env)
}
