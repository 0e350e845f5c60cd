package cli

import "github.com/spf13/cobra"

func (a *App) demoCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The whole pipeline on a bundled sample directory against an embedded mail server",
		Args:  exactArgs(0, "no arguments"),
		RunE:  notBuilt("demo"),
	}
	cmd.Flags().String("keep", "", "keep the demo's config, database and mail in this folder")
	return cmd
}
