package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceCategories are what a typing trace records: the DevTools
// timeline's events (input, script, style, layout, paint), the
// scheduler's tasks, and Blink's and the compositor's own.
var traceCategories = []string{
	"-*", "toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline",
	"disabled-by-default-devtools.timeline.frame", "blink", "blink.user_timing",
	"v8", "v8.execute", "cc", "renderer.scheduler", "input", "benchmark",
}

// keyTrace records a Chrome trace of what f does in the tab of ctx, and
// returns the trace's events as JSON, one per element.
func keyTrace(ctx context.Context, f func() error) ([]json.RawMessage, error) {
	var (
		mu     sync.Mutex
		events []json.RawMessage
		done   = make(chan struct{})
		once   sync.Once
	)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	err := chromedp.Listen(lctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range e.Value {
				events = append(events, json.RawMessage(v))
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			once.Do(func() { close(done) })
		}
	})
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{RecordMode: tracing.TraceConfigRecordModeRecordAsMuchAsPossible, IncludedCategories: traceCategories},
	}); err != nil {
		return nil, fmt.Errorf("starting the trace: %w", err)
	}
	ferr := f()
	if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
		return nil, fmt.Errorf("ending the trace: %w", err)
	}
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		return nil, fmt.Errorf("the trace did not complete in a minute")
	}
	mu.Lock()
	defer mu.Unlock()
	return events, ferr
}

// traceEvent is what the summary reads of one trace event.
type traceEvent struct {
	Name string  `json:"name"`
	Ph   string  `json:"ph"`
	Ts   float64 `json:"ts"`   // µs
	Dur  float64 `json:"dur"`  // µs, for complete events (ph X)
	Tdur float64 `json:"tdur"` // the thread's CPU time in it, µs
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
	Args struct {
		Name string          `json:"name"` // of a thread, in metadata
		Data json.RawMessage `json:"data"`
	} `json:"args"`
}

// eventType is the DOM event's type in an EventDispatch's data.
func (e *traceEvent) eventType() string {
	var d struct {
		Type string `json:"type"`
	}
	json.Unmarshal(e.Args.Data, &d)
	return d.Type
}

// traceSummary is where the renderer's main thread spent its time over the
// keys of a trace: self time (an event's time less that of the events
// inside it) by event name, per key, as CPU time (what the thread did,
// whatever else the machine ran) and as wall time.
type traceSummary struct {
	Keys          int
	Busy, BusyCPU float64            // the main thread's tasks, ms per key
	Self, SelfCPU map[string]float64 // ms per key
}

func summarizeTrace(raw []json.RawMessage) (*traceSummary, error) {
	var evs []traceEvent
	for _, r := range raw {
		var e traceEvent
		if json.Unmarshal(r, &e) != nil {
			continue
		}
		evs = append(evs, e)
	}
	type thread struct{ pid, tid int }
	mains := map[thread]bool{}
	keydowns := map[thread]int{}
	for i := range evs {
		e := &evs[i]
		if e.Ph == "M" && e.Name == "thread_name" && e.Args.Name == "CrRendererMain" {
			mains[thread{e.Pid, e.Tid}] = true
		}
	}
	for i := range evs {
		e := &evs[i]
		if e.Name == "EventDispatch" && mains[thread{e.Pid, e.Tid}] && e.eventType() == "keydown" {
			keydowns[thread{e.Pid, e.Tid}]++
		}
	}
	var main thread
	for th, n := range keydowns {
		if n > keydowns[main] {
			main = th
		}
	}
	if keydowns[main] == 0 {
		return nil, fmt.Errorf("the trace has no keydown on a renderer's main thread")
	}
	// The main thread's events, as complete events (B/E pairs joined).
	var on []traceEvent
	var open []traceEvent
	for _, e := range evs {
		if e.Pid != main.pid || e.Tid != main.tid {
			continue
		}
		switch e.Ph {
		case "X":
			on = append(on, e)
		case "B":
			open = append(open, e)
		case "E":
			if n := len(open); n > 0 {
				b := open[n-1]
				open = open[:n-1]
				b.Dur = e.Ts - b.Ts
				on = append(on, b)
			}
		}
	}
	sort.SliceStable(on, func(i, j int) bool {
		if on[i].Ts != on[j].Ts {
			return on[i].Ts < on[j].Ts
		}
		return on[i].Dur > on[j].Dur
	})
	s := &traceSummary{Keys: keydowns[main], Self: map[string]float64{}, SelfCPU: map[string]float64{}}
	label := func(e *traceEvent) string {
		if e.Name == "EventDispatch" {
			return "EventDispatch " + e.eventType()
		}
		return e.Name
	}
	type frame struct {
		end       float64
		label     string
		self, cpu float64
	}
	var stack []frame
	pop := func() {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s.Self[f.label] += f.self
		s.SelfCPU[f.label] += f.cpu
	}
	for i := range on {
		e := &on[i]
		for len(stack) > 0 && stack[len(stack)-1].end <= e.Ts {
			pop()
		}
		if len(stack) == 0 {
			s.Busy += e.Dur
			s.BusyCPU += e.Tdur
		} else {
			stack[len(stack)-1].self -= e.Dur
			stack[len(stack)-1].cpu -= e.Tdur
		}
		stack = append(stack, frame{end: e.Ts + e.Dur, label: label(e), self: e.Dur, cpu: e.Tdur})
	}
	for len(stack) > 0 {
		pop()
	}
	// From µs in all to ms per key.
	k := 1000 * float64(s.Keys)
	s.Busy /= k
	s.BusyCPU /= k
	for n := range s.Self {
		s.Self[n] /= k
		s.SelfCPU[n] /= k
	}
	return s, nil
}

// String lists the summary's largest shares, a line each.
func (s *traceSummary) String() string {
	names := make([]string, 0, len(s.SelfCPU))
	for n := range s.SelfCPU {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return s.SelfCPU[names[i]] > s.SelfCPU[names[j]] })
	var b strings.Builder
	fmt.Fprintf(&b, "%d keys; the renderer's main thread busy %.2f ms a key (CPU), %.2f ms (wall); self time a key, CPU and wall:\n", s.Keys, s.BusyCPU, s.Busy)
	for i, n := range names {
		if i == 30 || s.SelfCPU[n] < 0.01 {
			break
		}
		fmt.Fprintf(&b, "  %7.3f ms %7.3f ms  %s\n", s.SelfCPU[n], s.Self[n], n)
	}
	return b.String()
}

// writeTrace saves a trace's events as a file Chrome's and Perfetto's
// trace viewers open.
func writeTrace(path string, events []json.RawMessage) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	if err := enc.Encode(map[string]any{"traceEvents": events}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
