package host

import "os"

// pipes are the resolver's stdio. They are plain OS pipes handed to the
// child as files, rather than exec.Cmd's copying goroutines, so that the
// host decides when reading stops: at EOF on both (a grandchild holding
// them keeps the run alive, as in the gateway), or when it gives up after
// killing the process group.
type pipes struct {
	stdinR, stdinW   *os.File
	stdoutR, stdoutW *os.File
	stderrR, stderrW *os.File
}

func newPipes() (*pipes, error) {
	var p pipes
	var err error
	if p.stdinR, p.stdinW, err = os.Pipe(); err != nil {
		return nil, err
	}
	if p.stdoutR, p.stdoutW, err = os.Pipe(); err != nil {
		p.closeAll()
		return nil, err
	}
	if p.stderrR, p.stderrW, err = os.Pipe(); err != nil {
		p.closeAll()
		return nil, err
	}
	return &p, nil
}

// closeChildEnds drops the host's copies of the child's ends, so that EOF
// arrives when the child side closes.
func (p *pipes) closeChildEnds() { closeFiles(p.stdinR, p.stdoutW, p.stderrW) }

// closeParentEnds releases the host's ends; closing stdin also unblocks
// a feed still writing to a child that stopped reading.
func (p *pipes) closeParentEnds() { closeFiles(p.stdinW, p.stdoutR, p.stderrR) }

func (p *pipes) closeAll() {
	p.closeChildEnds()
	p.closeParentEnds()
}

func closeFiles(files ...*os.File) {
	for _, f := range files {
		if f != nil {
			_ = f.Close()
		}
	}
}

// feed writes the request and closes stdin, as the gateway does. A write
// error (the child exited or closed stdin) is the child's business: the
// run's outcome tells what happened.
func feed(w *os.File, data []byte) {
	_, _ = w.Write(data)
	_ = w.Close()
}
