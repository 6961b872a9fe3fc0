// Package assets embeds mailkey's icon and other static files.
package assets

import _ "embed"

// WindowIcon is a 64×64 rendition of the application icon (icon.png, which
// FyneApp.toml gives to 'fyne package') for the window: decoding and
// converting the 512×512 one at start-up cost about 15 ms before the window
// appeared (make bench, row 5).
//
//go:embed icon-64.png
var WindowIcon []byte
