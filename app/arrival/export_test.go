package arrival

// ParseAuth lets the external tests reach parseAuth.
var ParseAuth = parseAuth
