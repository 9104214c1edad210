package cli

import (
	"encoding/json"
	"runtime"

	"github.com/spf13/cobra"
)

func addVersion(root *cobra.Command, env *Env) {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Long:  "Print Hostbound's version (the same as hostbound --version), or, with --json, an object with the Go version and platform too.",
		Example: `  hostbound version
  hostbound version --json`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !asJSON {
				env.Printf("hostbound %s\n", env.Version)
				return nil
			}
			return env.printJSON(map[string]string{"version": env.Version, "go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON object")
	root.AddCommand(cmd)
}

// printJSON writes v to stdout as indented JSON.
func (e *Env) printJSON(v any) error {
	enc := json.NewEncoder(e.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
