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

// broadcast sends msg to every client without waiting. A "reload" is
// never replaced by a "css", which it includes.
func (h *hub) broadcast(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		m := msg
		select {
		case ch <- m:
			continue
		default:
		}
		select {
		case old := <-ch:
			if old == msgReload {
				m = msgReload
			}
		default:
		}
		select {
		case ch <- m:
		default:
		}
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
