package plugin

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync"

	"github.com/hashicorp/go-plugin/runner"

	"github.com/execref/execref/sdk/plugin/handshake"
)

// process is go-plugin's runner.Runner for one resolver process. go-plugin's
// own runner would hand the resolver the host's stdin and leave it in the
// host's process group; this one gives it no stdin (/dev/null), a process
// group of its own, the command's directory as cwd, and keeps its exit
// status for the error a crash is reported with.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr io.ReadCloser
	done           chan struct{} // closed once the process was reaped
	once           sync.Once
	waitErr        error
}

var _ runner.Runner = (*process)(nil)

func newProcess(cmd *exec.Cmd) (*process, error) {
	cmd.SysProcAttr = processGroup()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	return &process{cmd: cmd, stdout: stdout, stderr: stderr, done: make(chan struct{})}, nil
}

func (p *process) Start(context.Context) error { return p.cmd.Start() }

// Wait reaps the process; go-plugin calls it once, exited may call it too.
func (p *process) Wait(context.Context) error {
	p.once.Do(func() {
		p.waitErr = p.cmd.Wait()
		close(p.done)
	})
	<-p.done
	return p.waitErr
}

func (p *process) Kill(context.Context) error {
	if p.cmd.Process != nil {
		killGroup(p.cmd.Process)
	}
	return nil
}

func (p *process) Stdout() io.ReadCloser { return p.stdout }
func (p *process) Stderr() io.ReadCloser { return p.stderr }
func (p *process) Name() string          { return p.cmd.Path }

func (p *process) ID() string {
	if p.cmd.Process == nil {
		return ""
	}
	return strconv.Itoa(p.cmd.Process.Pid)
}

func (p *process) Diagnose(context.Context) string {
	return fmt.Sprintf("%s did not complete the go-plugin handshake: is it a resolver built on the execref SDK with -tags %s?", p.cmd.Path, handshake.BuildTag)
}

func (p *process) PluginToHost(network, addr string) (string, string, error) {
	return network, addr, nil
}

func (p *process) HostToPlugin(network, addr string) (string, string, error) {
	return network, addr, nil
}

// exited returns the exit status once the process has been reaped, or
// ok false if it has not been by the time ctx ends.
func (p *process) exited(ctx context.Context) (code int, signal string, ok bool) {
	select {
	case <-p.done:
	case <-ctx.Done():
		return 0, "", false
	}
	if p.cmd.ProcessState == nil {
		return 0, "", false
	}
	code, signal = exitStatus(p.cmd.ProcessState)
	return code, signal, true
}
