    assert_match "@TAG@", shell_output("#{bin}/openclaw-1password-resolver --version")

    # An id that is no 1Password reference is refused in the answer, before
    # 1Password (here the op CLI) is asked.
    request = '{"protocolVersion":1,"provider":"brewtest","ids":["no-such"]}'
    answer = JSON.parse(pipe_output("#{bin}/openclaw-1password-resolver --mode cli", request, 0))
    assert_equal "INVALID_ID", answer["errors"]["no-such"]["code"]
    assert_empty answer["values"]
