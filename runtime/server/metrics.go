package server

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
)

// metrics are the server's Prometheus metrics. They are always kept (an
// atomic add or two per message); Config.Metrics decides whether anyone can
// scrape them. docs/OPERATIONS.md lists them.
type metrics struct {
	connections  prometheus.Gauge
	opened       prometheus.Counter
	received     *prometheus.CounterVec // by message type
	sent         *prometheus.CounterVec // by message type
	bad          *prometheus.CounterVec // by error code
	refused      *prometheus.CounterVec // by reason
	drops        *prometheus.CounterVec // by reason
	jobs         *prometheus.GaugeVec   // by state
	ended        *prometheus.CounterVec // by kind, status, code
	callsRunning prometheus.Gauge
	httpConns    prometheus.Gauge   // what Listener holds
	evicted      prometheus.Counter // idle connections Listener closed to make room
	addrs        prometheus.Gauge   // client addresses with a websocket or a session

	wait     *prometheus.HistogramVec // call received → handler started
	run      *prometheus.HistogramVec // handler started → call ended
	write    *prometheus.HistogramVec // call ended → result written to the socket
	duration *prometheus.HistogramVec // call received → result written

	collectors []prometheus.Collector
}

// Reasons for refusals and dropped connections, the label values.
const (
	refusedOrigin       = "origin"        // websocket upgrade from a page of another origin
	refusedHost         = "host"          // a request for a host not in AllowedHosts (DNS rebinding)
	refusedDraining     = "draining"      // websocket upgrade while draining
	refusedMaxConns     = "max_conns"     // a connection past MaxConns, none idle to close
	refusedAddrConns    = "addr_conns"    // a connection past AddrConns, none of the address's idle
	refusedAddrSessions = "addr_sessions" // a new session past AddrSessions
	refusedAddrCalls    = "addr_calls"    // a call past AddrCallRate
	refusedSessionJobs  = "session_jobs"  // the session has SessionJobs unfinished jobs
	refusedSessionCalls = "session_calls" // the session's ordinary callbacks fill their slots and line
	refusedQueueFull    = "queue_full"    // the manager's queue is full
	refusedShutDown     = "shut_down"     // the manager takes no more jobs
	refusedReattach     = "reattach"      // a hello's job the manager does not know for the session
	refusedResultSize   = "result_size"   // a result over ResultLimit
	refusedResultsHeld  = "results_held"  // a result past the session's SessionResultBytes
	refusedAuth         = "auth"          // websocket upgrade whose authentication failed (401)
	refusedForbidden    = "forbidden"     // upgrade (403) or call its principal may not make
	refusedCookie       = "cookie"        // a cookie ticket not signed, expired or of another session

	dropSlow  = "slow"  // the send queue passed SendQueue
	dropWrite = "write" // a write failed or passed WriteTimeout
)

// Call kinds, the label values.
const (
	kindOrdinary   = "ordinary"
	kindBackground = "background"
)

func newMetrics(sessions func() int, heldBytes func() int64, managers map[string]jobs.Manager) *metrics {
	const ns = "longcall"
	latency := func(name, help string, buckets []float64) *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: name, Help: help, Buckets: buckets}, []string{"kind"})
	}
	fast := prometheus.ExponentialBuckets(0.0001, 4, 10) // 0.1 ms … 26 s
	slow := prometheus.ExponentialBuckets(0.001, 4, 11)  // 1 ms … 17 min
	m := &metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "connections", Help: "Websocket connections open now."}),
		opened:      prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "connections_opened_total", Help: "Websocket connections accepted."}),
		received:    prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "messages_received_total", Help: "Well-formed messages received, by type."}, []string{"type"}),
		sent:        prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "messages_sent_total", Help: "Messages written to sockets, by type."}, []string{"type"}),
		bad:         prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "bad_messages_total", Help: "Messages refused as malformed, of another version, of the wrong kind, or too big, by code."}, []string{"code"}),
		refused:     prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "refused_total", Help: "Connections and calls refused by a check or a limit, by reason."}, []string{"reason"}),
		drops:       prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "connections_dropped_total", Help: "Connections the server dropped because their client did not keep up, by reason."}, []string{"reason"}),
		jobs:        prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "jobs", Help: "Background jobs of this process's calls, by state (queued, running)."}, []string{"state"}),
		ended:       prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "calls_ended_total", Help: "Calls ended, by kind (ordinary, background), status and error code."}, []string{"kind", "status", "code"}),
		callsRunning: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "ordinary_calls_running",
			Help: "Ordinary (not background) callbacks running now."}),
		httpConns: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "http_connections", Help: "Connections the server's Listener holds now, websockets included."}),
		evicted:   prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "http_connections_evicted_total", Help: "Idle connections closed to make room under MaxConns or AddrConns."}),
		addrs:     prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "client_addresses", Help: "Client addresses holding a websocket or a session."}),
		wait:      latency("call_wait_seconds", "From a call's arrival to its handler's start: the queue for background jobs, a free slot for ordinary callbacks.", fast),
		run:       latency("call_run_seconds", "From a handler's start to the call's end (result, error, cancel or timeout).", slow),
		write:     latency("result_write_seconds", "From a call's end to its result written to the socket.", fast),
		duration:  latency("call_seconds", "From a call's arrival to its result written to the socket.", slow),
	}
	m.jobs.WithLabelValues("queued")
	m.jobs.WithLabelValues("running")
	m.collectors = []prometheus.Collector{
		m.connections, m.opened, m.received, m.sent, m.bad, m.refused, m.drops, m.jobs, m.ended, m.callsRunning,
		m.httpConns, m.evicted, m.addrs,
		m.wait, m.run, m.write, m.duration,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Name: "sessions", Help: "Sessions alive: attached, or in their grace period."},
			func() float64 { return float64(sessions()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Name: "result_bytes_held", Help: "Bytes of results sessions hold that their pages have not read yet."},
			func() float64 { return float64(heldBytes()) }),
	}
	m.collectors = append(m.collectors, managerCollectors(managers)...)
	return m
}

// register makes the metrics scrapable from reg.
func (m *metrics) register(reg prometheus.Registerer) error {
	for _, c := range m.collectors {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("register longcall metrics: %w", err)
		}
	}
	return nil
}

// statser is a manager that counts its jobs, as jobs.InProcess does.
type statser interface{ Stats() jobs.Stats }

// managerCollectors reports the queue of every manager that keeps stats, once
// per manager however many names it is mapped under; it is labelled with the
// first of those names, "default" for "".
func managerCollectors(managers map[string]jobs.Manager) []prometheus.Collector {
	names := make([]string, 0, len(managers))
	for name := range managers {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []prometheus.Collector
	var seen []jobs.Manager
	for _, name := range names {
		mgr := managers[name]
		st, ok := mgr.(statser)
		if !ok || containsManager(seen, mgr) {
			continue
		}
		seen = append(seen, mgr)
		label := prometheus.Labels{"manager": name}
		if name == "" {
			label["manager"] = "default"
		}
		out = append(out,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "longcall", Name: "manager_queue_depth", Help: "Jobs waiting in the manager's queue for a worker.", ConstLabels: label},
				func() float64 { return float64(st.Stats().Queued) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "longcall", Name: "manager_jobs_pending", Help: "Jobs queued or running in the manager, every session's.", ConstLabels: label},
				func() float64 { return float64(st.Stats().Pending) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "longcall", Name: "manager_handlers_lingering", Help: "Handlers still running after their job ended (they ignore their context); each holds a worker of its session's share.", ConstLabels: label},
				func() float64 { return float64(st.Stats().Lingering) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "longcall", Name: "manager_handlers_started_total", Help: "Handlers the manager started.", ConstLabels: label},
				func() float64 { return float64(st.Stats().Started) }),
		)
	}
	return out
}

// containsManager compares managers by identity; a manager whose type cannot
// be compared is never found, so it is at worst reported twice.
func containsManager(list []jobs.Manager, m jobs.Manager) bool {
	if !reflect.TypeOf(m).Comparable() {
		return false
	}
	for _, x := range list {
		if reflect.TypeOf(x) == reflect.TypeOf(m) && x == m {
			return true
		}
	}
	return false
}

func (m *metrics) connOpened() {
	m.opened.Inc()
	m.connections.Inc()
}

func (m *metrics) connClosed()                   { m.connections.Dec() }
func (m *metrics) receivedMsg(t protocol.Type)   { m.received.WithLabelValues(string(t)).Inc() }
func (m *metrics) badMessage(code string)        { m.bad.WithLabelValues(code).Inc() }
func (m *metrics) refusal(reason string)         { m.refused.WithLabelValues(reason).Inc() }
func (m *metrics) dropped(reason string)         { m.drops.WithLabelValues(reason).Inc() }
func (m *metrics) ordinaryRunning(delta float64) { m.callsRunning.Add(delta) }
