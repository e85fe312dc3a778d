package server

import "sync"

// hub fans reload messages out to every connected page. A slow client
// never blocks a rebuild: each has a one-message mailbox, and a newer
// message replaces one not yet taken.
type hub struct {
	mu      sync.Mutex
	clients map[chan string]struct{}
}

func newHub() *hub { return &hub{clients: map[chan string]struct{}{}} }

func (h *hub) join() chan string {
	ch := make(chan string, 1)
	h.mu.Lock()
	h.clients[ch] = struct{}{}
	h.mu.Unlock()
	return ch
}

func (h *hub) leave(ch chan string) {
	h.mu.Lock()
	delete(h.clients, ch)
	h.mu.Unlock()
}

// broadcast sends msg to every client without waiting.
func (h *hub) broadcast(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		deliver(ch, msg)
	}
}

// send sends msg to one client without waiting.
func (h *hub) send(ch chan string, msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	deliver(ch, msg)
}

// deliver puts msg in a client's mailbox, replacing a message not yet
// taken. A "reload" is never replaced by a "css", which it includes.
// The hub's lock is held, so no other sender races for the mailbox.
func deliver(ch chan string, msg string) {
	select {
	case ch <- msg:
		return
	default:
	}
	select {
	case old := <-ch:
		if old == msgReload {
			msg = msgReload
		}
	default:
	}
	select {
	case ch <- msg:
	default:
	}
}

// count is the number of connected pages.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// The messages pages receive.
const (
	msgReload = `{"type":"reload"}`
	msgCSS    = `{"type":"css"}`
)
