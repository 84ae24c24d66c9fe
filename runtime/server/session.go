package server

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// session is one page's state on the server. It outlives its websocket: jobs
// keep running and their events keep collecting while the page reconnects,
// until the grace period ends.
type session struct {
	token  string
	peer   string       // the client address that opened it, for the per-address bounds
	name   string       // sessionName(token): what its calls and files are filed under
	outbox *jobs.Outbox // job events, coalesced, held until written
	load   *load        // its jobs and calls, within the server's limits
	clocks clocks       // its calls' timings, for the metrics

	mu       sync.Mutex
	jobs     map[jobs.ID]jobRef // jobs whose Finished event is not yet written
	direct   []protocol.Message // other messages (ordinary results, errors), in order
	conn     *conn              // the attached connection; nil while detached
	expiry   *time.Timer        // runs while detached
	wake     chan struct{}      // signalled when direct gains a message
	closedCh chan struct{}      // closed when the session ends

	// caller is who it is and what its request said (Server.callerOf),
	// never changed once set, only replaced: calls share it.
	caller *runtime.Caller

	backlogBase int // the backlog when the writer last took, or the connection attached; see checkBacklog

	held      int64         // bytes of results waiting to be written: see hold
	heldTotal *atomic.Int64 // every session's, the server's
}

// jobRef is what the session remembers of one of its jobs.
type jobRef struct {
	req      uint64
	callback string
	key      string // its supersede key, "" when unknown (see reattachKey)
	manager  jobs.Manager
	ended    bool // its Finished event waits in the outbox
}

func newSession(token string, lim limits, heldTotal *atomic.Int64) *session {
	return &session{
		heldTotal: heldTotal,
		token:     token,
		name:      sessionName(token),
		outbox:    jobs.NewOutbox(jobs.OutboxLimit(lim.outboxLimit())),
		load:      newLoad(lim),
		jobs:      map[jobs.ID]jobRef{},
		wake:      make(chan struct{}, 1),
		closedCh:  make(chan struct{}),
	}
}

// short is the token's prefix, enough to follow a session in logs without
// writing its secret there.
func (s *session) short() string { return s.token[:8] }

// send queues a message that is not a job event.
func (s *session) send(m protocol.Message) {
	s.mu.Lock()
	s.direct = append(s.direct, m)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	s.checkBacklog()
}

// sendTo queues a message for connection c only: an answer to its hello,
// which a newer connection of the page asks again. Dropped once c is not
// the session's connection.
func (s *session) sendTo(c *conn, m protocol.Message) {
	s.mu.Lock()
	current := s.conn == c
	if current {
		s.direct = append(s.direct, m)
	}
	s.mu.Unlock()
	if !current {
		return
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	s.checkBacklog()
}

// take returns everything waiting to be written, in order: messages returned
// by a failed write first, then direct messages, then job events. A
// connection that has been replaced gets nothing, so what waits goes to the
// page's newer connection.
func (s *session) take(c *conn) []protocol.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != c {
		return nil
	}
	events := s.outbox.Take()
	out := s.direct
	s.direct = nil
	s.backlogBase = 0
	for _, m := range out {
		s.unholdLocked(m.Props, m.Type)
	}
	for _, e := range events {
		if e.Kind == jobs.Finished {
			s.unholdLocked(e.Result.Props, protocol.TypeResult)
		}
		ref, ok := s.jobs[e.Job]
		if !ok {
			continue // a job this session no longer tracks
		}
		if e.Kind == jobs.Finished {
			delete(s.jobs, e.Job)
		}
		out = append(out, eventMessage(e, ref))
	}
	return out
}

// giveBack puts unwritten messages in front, so a failed write loses nothing.
func (s *session) giveBack(msgs []protocol.Message) {
	if len(msgs) == 0 {
		return
	}
	s.mu.Lock()
	s.direct = append(msgs, s.direct...)
	for _, m := range msgs {
		if m.Type == protocol.TypeResult {
			s.holdLocked(resultBytes(m.Props))
		}
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// track records that the session follows job id, and whether the event
// just delivered was its Finished one.
func (s *session) track(id jobs.ID, ref jobRef, ended bool) {
	ref.ended = ended
	s.mu.Lock()
	s.jobs[id] = ref
	s.mu.Unlock()
}

// untrack forgets a job that was never submitted under id.
func (s *session) untrack(id jobs.ID) {
	s.mu.Lock()
	delete(s.jobs, id)
	s.mu.Unlock()
}

// jobOfCall returns the id of the unfinished job of call (req, callback),
// or "" when there is none.
func (s *session) jobOfCall(req uint64, callback string) jobs.ID {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, ref := range s.jobs {
		if ref.req == req && ref.callback == callback && !ref.ended {
			return id
		}
	}
	return ""
}

// holdsResult reports whether the session holds job id's result, not yet
// written.
func (s *session) holdsResult(id jobs.ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[id].ended
}

func (s *session) job(id jobs.ID) (jobRef, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, ok := s.jobs[id]
	return ref, ok
}

func (s *session) unfinished() map[jobs.ID]jobRef {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[jobs.ID]jobRef, len(s.jobs))
	for id, ref := range s.jobs {
		out[id] = ref
	}
	return out
}

// hub holds the live sessions.
type hub struct {
	grace  time.Duration
	tokens *tokens
	expire func(*session)
	limits limits
	peers  *peers
	held   *atomic.Int64

	mu       sync.Mutex
	sessions map[string]*session
}

func newHub(grace time.Duration, tokens *tokens, expire func(*session), lim limits, held *atomic.Int64) *hub {
	return &hub{grace: grace, tokens: tokens, expire: expire, limits: lim, held: held, sessions: map[string]*session{}}
}

// attach binds c to the session with token. A token this process signed, or
// another with the same secret, resumes its session even when this process
// has not seen it (a restart, another web process): the page then re-attaches
// its jobs by id. Any other token gets a new session. A connection already
// attached to the session is closed: one page, one socket. A session this
// process did not hold counts against the client address's AddrSessions:
// nil when it holds its share.
func (h *hub) attach(token string, c *conn) *session {
	h.mu.Lock()
	principal := c.caller.Principal.ID
	s := h.sessions[token]
	if !h.tokens.bound(token, principal) {
		// The page's session is someone else's (a logout and another
		// login in the same browser): its jobs and results are not this
		// principal's to see, here or on any process. A new session.
		s, token = nil, ""
	}
	if s == nil {
		peer := keyOf(c.remote)
		if !h.peers.openSession(peer) {
			h.mu.Unlock()
			return nil
		}
		if !h.tokens.valid(token) {
			token = h.tokens.issueFor(principal)
		}
		s = newSession(token, h.limits, h.held)
		s.peer = peer
		h.sessions[s.token] = s
	}
	h.mu.Unlock()

	s.mu.Lock()
	old := s.conn
	s.conn = c
	caller := c.caller // a copy: a pointer into c would keep the closed connection's buffers
	s.caller = &caller // the same principal: its newest headers and cookies
	s.dropStaleAnswersLocked()
	s.backlogBase = s.backlogLocked()
	if s.expiry != nil {
		s.expiry.Stop()
		s.expiry = nil
	}
	s.mu.Unlock()
	if old != nil {
		old.closeWith(protocol.CloseReplaced, "replaced by a newer connection of the same session")
	}
	return s
}

// dropStaleAnswersLocked drops the unknown_job answers to an earlier
// connection's hello that wait unwritten: the new connection's hello lists
// again every job the page waits for, and a page that says hello again and
// again must not pile them up.
func (s *session) dropStaleAnswersLocked() {
	s.direct = slices.DeleteFunc(s.direct, func(m protocol.Message) bool {
		return m.Type == protocol.TypeResult && m.Job != "" && m.Error != nil && m.Error.Code == protocol.CodeUnknownJob
	})
}

// detach unbinds c and starts the session's grace period.
func (h *hub) detach(s *session, c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != c {
		return
	}
	s.conn = nil
	s.expiry = time.AfterFunc(h.grace, func() { h.end(s, true) })
}

// end removes a session. An expiry (onlyIfDetached) keeps a session
// re-attached since and cancels the jobs of one that was not; a shutdown
// leaves the jobs to their managers.
func (h *hub) end(s *session, onlyIfDetached bool) {
	s.mu.Lock()
	if onlyIfDetached && s.conn != nil {
		s.mu.Unlock()
		return
	}
	c := s.conn
	s.mu.Unlock()

	h.mu.Lock()
	if h.sessions[s.token] != s {
		h.mu.Unlock()
		return
	}
	delete(h.sessions, s.token)
	h.mu.Unlock()
	h.peers.endSession(s.peer)

	close(s.closedCh)
	s.dropHeld()
	if c != nil {
		c.closeWith(websocket.CloseServiceRestart, "server shutting down; reconnect")
	}
	if onlyIfDetached {
		h.tokens.revoke(s.token) // it ended here: its token stops working
		h.expire(s)
	}
}

func (h *hub) closeAll() {
	h.mu.Lock()
	all := make([]*session, 0, len(h.sessions))
	for _, s := range h.sessions {
		all = append(all, s)
	}
	h.mu.Unlock()
	for _, s := range all {
		h.end(s, false)
	}
}

func (h *hub) conns() []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*conn
	for _, s := range h.sessions {
		s.mu.Lock()
		if s.conn != nil {
			out = append(out, s.conn)
		}
		s.mu.Unlock()
	}
	return out
}

func (h *hub) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.sessions)
}

// callerOf is what a call of the session carries. Nothing changes it (a
// cookie set replaces it), so calls share it without a copy each.
func (s *session) callerOf() *runtime.Caller {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.caller == nil {
		return &runtime.Caller{}
	}
	return s.caller
}

// setCookies records the cookies a handler set that the server keeps, so
// that the session's next calls read them whether or not the page has
// fetched them into its browser yet.
func (s *session) setCookies(cookies []runtime.Cookie, keep func(string) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next runtime.Caller
	if s.caller != nil {
		next = s.caller.Clone() // calls under way hold the one in place
	}
	changed := false
	for _, ck := range cookies {
		if !keep(ck.Name) {
			continue
		}
		changed = true
		if ck.MaxAge < 0 {
			delete(next.Cookies, ck.Name)
			continue
		}
		if next.Cookies == nil {
			next.Cookies = map[string]string{}
		}
		next.Cookies[ck.Name] = ck.Value
	}
	if changed {
		s.caller = &next
	}
}
