    assert_match "@TAG@", shell_output("#{bin}/openclaw-resolver-run --version")

    # A resolver of three lines, run as the gateway would run it: the value
    # resolves, and the runner prints its length, never the value.
    (testpath/"resolver").write <<~EOS
      #!/bin/sh
      read -r request || true
      printf '%s' '{"protocolVersion":1,"values":{"brew/test":"execref-brew-test"}}'
    EOS
    (testpath/"resolver").chmod 0755
    output = shell_output("#{bin}/openclaw-resolver-run --provider brewtest --command #{testpath}/resolver brew/test")
    assert_match %r{brew/test\s+ok}, output
    refute_match "execref-brew-test", output

    # The warm agent's templates, for the caveats' commands.
    assert_match "<string>@HOMEBREW_PREFIX@/bin/openclaw-resolver-run</string>",
                 (pkgshare/"dev.execref.openclaw-resolver-agent.plist").read
    assert_match "ExecStart=/usr/bin/openclaw-resolver-run agent %i",
                 (pkgshare/"openclaw-resolver-agent@.service").read
