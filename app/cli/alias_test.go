package cli

// The environment variables the external tests set on the mailkey they run.
const (
	PollEnv          = pollEnv
	NotifyNameEnv    = notifyNameEnv
	SendmailFlushEnv = sendmailFlushEnv
)
