    assert_match "@TAG@", shell_output("#{bin}/openclaw-vault-resolver --version")

    # An id outside the resolver's MOUNT/PATH#FIELD syntax is refused in the
    # answer, before any Vault is asked (the address is never dialled).
    request = '{"protocolVersion":1,"provider":"brewtest","ids":["kv#a#b"]}'
    answer = JSON.parse(pipe_output("#{bin}/openclaw-vault-resolver --address http://127.0.0.1:9", request, 0))
    assert_equal "INVALID_ID", answer["errors"]["kv#a#b"]["code"]
    assert_empty answer["values"]
