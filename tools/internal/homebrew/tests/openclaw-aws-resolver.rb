    assert_match "@TAG@", shell_output("#{bin}/openclaw-aws-resolver --version")

    # An id that is neither sm:, smb: nor ssm: is refused in the answer,
    # before AWS is asked.
    request = '{"protocolVersion":1,"provider":"brewtest","ids":["no/such/id"]}'
    answer = JSON.parse(pipe_output("#{bin}/openclaw-aws-resolver", request, 0))
    assert_equal "INVALID_ID", answer["errors"]["no/such/id"]["code"]
    assert_empty answer["values"]
