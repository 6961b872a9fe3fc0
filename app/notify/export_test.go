package notify

// CallTimeout lets the external tests reach callTimeout.
const CallTimeout = callTimeout
