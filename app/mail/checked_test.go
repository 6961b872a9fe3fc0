package mail

import "context"

// The senders take only a Checked (or CheckedRaw), which only Check makes.
// These helpers do what the engine does for one send: Check once, then hand
// the checked message to the sender, which checks nothing of it again.

func sendSMTP(s *Sender, ctx context.Context, ep Endpoint, cred Credential, m Message) (Result, error) {
	c, err := m.Check()
	if err != nil {
		return Result{}, err
	}
	return s.Send(ctx, ep, cred, c)
}

func sendAPI(s *Sender, ctx context.Context, api API, cred Credential, m Message) (Result, error) {
	c, err := m.Check()
	if err != nil {
		return Result{}, err
	}
	return s.SendAPI(ctx, api, cred, c)
}

func sendRaw(s *Sender, ctx context.Context, ep Endpoint, cred Credential, r Raw) (Result, error) {
	c, err := r.Check()
	if err != nil {
		return Result{}, err
	}
	return s.SendRaw(ctx, ep, cred, c)
}
