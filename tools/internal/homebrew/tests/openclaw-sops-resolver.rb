    assert_match "@TAG@", shell_output("#{bin}/openclaw-sops-resolver --version")

    # An age key made for this test only, and a file sops encrypted to it
    # holding brew.test: execref-brew-test. They guard nothing.
    (testpath/"age-key.txt").write <<~EOS
      AGE-SECRET-KEY-1QP9S3L7U00PZVYSKCX8UWJHDF69R2ZDEEPKFJYUS2Y4E0MUNUUNSRUR6YJ
    EOS
    (testpath/"secrets.enc.yaml").write <<~EOS
      brew:
          test: ENC[AES256_GCM,data:YlodKtFv7gXPHAB4kbs84Os=,iv:x3+ismBVX8QbXwmGYGnysLcyHBmMB5pGxU8CpmTTuts=,tag:yqEqkbj580OYH8mZw3ynIQ==,type:str]
      sops:
          age:
              - enc: |
                  -----BEGIN AGE ENCRYPTED FILE-----
                  YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSArRWNqNG9ETC9wMjkxNmRv
                  M2poZUJhYUg5c2xRVjd2cVVPUjAvclNUeGkwCm9KS3E5YkE4ekxPZEV3UVhvcFow
                  QUs2aUdoWWJFckNYZjV6ZzhiRGZTMUEKLS0tIERmL1UrZGxhbHh0QkoxZmdjc040
                  bkhZTDU1d3FQSDFvTkxCbWRRd1FvdG8KvZCU9kufU1nrGRw5PNql89gyXqPIjlsK
                  auL/nzuMvfJhy7SoQhsG5jEShv0BeVS/r4CAiuWc5EOhHpP5c5+qMA==
                  -----END AGE ENCRYPTED FILE-----
                recipient: age1kc7lt6vclwz70dfsdlkmruyzwpkrek7yr35vscvxzcuq2umv8gyqt5h8yz
          lastmodified: "2026-12-01T02:13:26Z"
          mac: ENC[AES256_GCM,data:zo6L6hNND6rZnlzNjvM//4srIGUMGLMFrBvfx05EAnjvKgzSP+6rLoaw/bNuNYBVBf/SClMhfVYsgmUk/WZ/rmYh+kt/iJuJgJ5XJIgdEcN6w+jfC6exNrbsBgImJOcLZemGHuE8+/mJuKP3Mk1iDdFAElTi2q69EfBsbx/6Dx4=,iv:0oXd66J2vY82wFnkUNnzGQ7KF3yNUvV7Rx1xdSvdjOQ=,tag:94LiEEofbkAfGhIGve0gQQ==,type:str]
          unencrypted_suffix: _unencrypted
          version: 3.13.3
    EOS
    (testpath/"age-key.txt").chmod 0600
    (testpath/"secrets.enc.yaml").chmod 0600
    ENV["SOPS_AGE_KEY_FILE"] = (testpath/"age-key.txt").to_s

    request = '{"protocolVersion":1,"provider":"brewtest","ids":["brew/test","brew/missing"]}'
    answer = JSON.parse(pipe_output("#{bin}/openclaw-sops-resolver --file #{testpath}/secrets.enc.yaml", request, 0))
    assert_equal "execref-brew-test", answer["values"]["brew/test"]
    assert_equal "NOT_FOUND", answer["errors"]["brew/missing"]["code"]
