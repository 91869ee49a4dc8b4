    assert_match "@TAG@", shell_output("#{bin}/openclaw-resolver-conformance --version")

    # A resolver of three lines that answers one id whatever it is asked:
    # the suite runs it as the gateway would, finds that it can be run, and
    # that it leaves ids unanswered.
    (testpath/"resolver").write <<~EOS
      #!/bin/sh
      read -r request || true
      printf '%s' '{"protocolVersion":1,"values":{"brew/test":"execref-brew-test"}}'
    EOS
    (testpath/"resolver").chmod 0755
    (testpath/"fixture.json").write <<~EOS
      {"name": "brewtest", "provider": {"source": "exec", "command": "resolver"},
       "values": {"brew/test": "execref-brew-test"}, "notFound": ["brew/missing"]}
    EOS
    output = shell_output("#{bin}/openclaw-resolver-conformance --fixture #{testpath}/fixture.json", 1)
    assert_match(/PASS\s+exec\s+INSTALL-001/, output)
    assert_match(/PASS\s+exec\s+ENV-001/, output)
    assert_match(/FAIL\s+exec\s+OUTPUT-002/, output)
    assert_match "NOT conformant", output
