// Package assets embeds mailkey's icon and other static files.
package assets

import _ "embed"

// Icon is the 512×512 application icon (PNG).
//
//go:embed icon.png
var Icon []byte

// WindowIcon is a 64×64 rendition of Icon for the window: decoding and
// converting the 512×512 one at start-up cost about 15 ms before the window
// appeared (make bench, row 5).
//
//go:embed icon-64.png
var WindowIcon []byte
