package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"hostbound/backend/desktop"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	session := &desktop.Session{}
	err := wails.Run(&options.App{
		Title:       "Hostbound",
		Width:       1200,
		Height:      800,
		AssetServer: &assetserver.Options{Assets: assets},
		Bind:        []any{session},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}
