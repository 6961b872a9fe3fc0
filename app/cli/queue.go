package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/spf13/cobra"
)

const usageQueue = "mailkey queue [--json] | mailkey queue flush | mailkey queue retry ID|--all | mailkey queue drop ID"

// queueJSON is one message in 'mailkey queue --json'.
type queueJSON struct {
	ID         string    `json:"id"`
	Account    string    `json:"account"`
	Recipients []string  `json:"recipients"`
	Size       int64     `json:"size"`
	Created    time.Time `json:"created"`
	AgeSeconds int64     `json:"age_seconds"`
	State      string    `json:"state"`
	Attempts   int       `json:"attempts"`
	NextTry    time.Time `json:"next_try"`
	LastError  string    `json:"last_error,omitempty"`
	LastNext   string    `json:"last_error_next,omitempty"`
}

// openQueue returns the user's queue.
func openQueue() (*queue.Queue, error) { return queue.OpenDefault() }

// sendHeld sends, after a sign-in, the messages held for it (queue.DeliverHeld).
func sendHeld(ctx context.Context, env Env) {
	q, err := openQueue()
	if err != nil {
		return
	}
	sum, err := q.DeliverHeld(ctx, env.Engine)
	if err == nil && sum.Sent > 0 {
		fmt.Fprintf(env.Stderr, "Also sent %d queued message(s) that waited for this sign-in.\n", sum.Sent)
	}
}

func queueCommand(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "queue", Short: "List, send, retry or drop the messages waiting to be sent",
		Long: "Queue lists the messages that 'mailkey sendmail' and the relay could not send yet, with why; its commands send, retry or drop them.",
	}
	asJSON := c.Flags().Bool("json", false, "print the queue as JSON")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef(usageQueue, "unknown queue command %q", args[0])
		}
		return withQueue(func(q *queue.Queue) error { return queueList(env, q, *asJSON) })
	}
	flush := &cobra.Command{
		Use: "flush", Short: "Try to send every queued message now",
		RunE: func(c *cobra.Command, args []string) error {
			return withQueue(func(q *queue.Queue) error { return queueFlush(c.Context(), env, q, args) })
		},
	}
	retry := &cobra.Command{Use: "retry ID|--all", Short: "Make a held or failed message due now"}
	all := retry.Flags().Bool("all", false, "every message in the queue")
	retry.RunE = func(c *cobra.Command, args []string) error {
		return withQueue(func(q *queue.Queue) error { return queueRetry(env, q, *all, args) })
	}
	drop := &cobra.Command{
		Use: "drop ID", Short: "Delete a message from the queue, unsent",
		RunE: func(c *cobra.Command, args []string) error {
			return withQueue(func(q *queue.Queue) error { return queueDrop(env, q, args) })
		},
	}
	c.AddCommand(flush, retry, drop)
	return withUsage(c, usageQueue)
}

// withQueue runs f on the user's queue.
func withQueue(f func(q *queue.Queue) error) error {
	q, err := openQueue()
	if err != nil {
		return err
	}
	return f(q)
}

func queueList(env Env, q *queue.Queue, asJSON bool) error {
	items, damaged, err := q.List()
	reportDamaged(env, q, damaged)
	if err != nil {
		return err
	}
	now := q.Now()
	if asJSON {
		return queuePrintJSON(env, items, now)
	}
	if len(items) == 0 {
		fmt.Fprintln(env.Stderr, "The queue is empty.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tACCOUNT\tRECIPIENTS\tSIZE\tAGE\tSTATE\tLAST ERROR")
	for _, it := range items {
		last := ""
		if it.LastError != nil {
			last = sentence(it.LastError.Text().What)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", it.ID, it.Account, strings.Join(it.To, ","), it.Size,
			advice.Duration(now.Sub(it.Created).Round(time.Second)), it.State, last)
	}
	return tw.Flush()
}

// queueDrop removes the one message whose ID args holds.
func queueDrop(env Env, q *queue.Queue, args []string) error {
	if len(args) != 1 {
		return usagef(usageQueue, "queue drop takes one message ID")
	}
	if err := q.Remove(args[0]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Dropped %s.\n", args[0])
	return nil
}

// queuePrintJSON prints the queue's messages as a JSON array.
func queuePrintJSON(env Env, items []queue.Item, now time.Time) error {
	out := make([]queueJSON, 0, len(items))
	for _, it := range items {
		j := queueJSON{
			ID: it.ID, Account: it.Account, Recipients: it.To, Size: it.Size, Created: it.Created,
			AgeSeconds: int64(now.Sub(it.Created) / time.Second), State: it.State, Attempts: it.Attempts, NextTry: it.NextTry,
		}
		if it.LastError != nil {
			t := it.LastError.Text()
			j.LastError, j.LastNext = cliText(t)
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func reportDamaged(env Env, q *queue.Queue, damaged []queue.Damaged) {
	for _, d := range damaged {
		err := d.Explain(q.Dir())
		fmt.Fprintf(env.Stderr, "%s\n%s\n", sentence(advice.What(err)), sentence(nextStep(err)))
	}
}

func queueFlush(ctx context.Context, env Env, q *queue.Queue, args []string) error {
	if len(args) > 0 {
		return usagef(usageQueue, "queue flush takes no arguments")
	}
	sum, err := q.Deliver(ctx, env.Engine, true)
	reportDamaged(env, q, sum.Damaged)
	fmt.Fprintf(env.Stdout, "sent %d, queued %d, held %d, failed %d\n", sum.Sent, sum.Queued, sum.Held, sum.Failed)
	if err != nil {
		return err
	}
	if sum.Queued+sum.Held+sum.Failed > 0 {
		fmt.Fprintln(env.Stderr, "Some messages are still in the queue: 'mailkey queue' says why.")
	}
	return nil
}

func queueRetry(env Env, q *queue.Queue, all bool, args []string) error {
	if all == (len(args) == 1) || len(args) > 1 {
		return usagef(usageQueue, "queue retry takes one message ID, or --all")
	}
	ids := args
	if all {
		items, damaged, err := q.List()
		reportDamaged(env, q, damaged)
		if err != nil {
			return err
		}
		ids = nil
		for _, it := range items {
			ids = append(ids, it.ID)
		}
	}
	for _, id := range ids {
		if err := q.Retry(id); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stderr, "%d message(s) due now: the relay sends them at its next pass, or run 'mailkey queue flush'.\n", len(ids))
	return nil
}
