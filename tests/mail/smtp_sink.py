#!/usr/bin/python3
"""A real SMTP server on loopback for the tests (Debian's python3-aiosmtpd).

usage: smtp_sink.py PORT DIR

Saves every message it accepts as DIR/NNNN.eml (written to a .tmp file and
renamed, so a test never reads half a message), and beside it NNNN.txt, its
text part decoded as a mail reader shows it (written first) and prints "ready" on
stdout once it listens.  While DIR/refuse exists it refuses every
recipient with "550 5.1.1 Mailbox unavailable (test)"; while
DIR/refuse-for-now exists it answers every recipient "451" (try later); while
DIR/refuse-sender exists it refuses every sender (MAIL FROM) with 553, as a
server does whose settings do not allow Värn to send.
"""
import email
import email.policy
import os
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        # numbered on from what an earlier run saved (a restarted server)
        self.n = len([f for f in os.listdir(folder) if f.endswith(".eml")])

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if os.path.exists(os.path.join(self.folder, "refuse-sender")):
            return "553 5.7.1 Sender not allowed (test)"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(self.folder, "refuse")):
            return "550 5.1.1 Mailbox unavailable (test)"
        if os.path.exists(os.path.join(self.folder, "refuse-for-now")):
            return "451 4.3.0 Try again later (test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        path = os.path.join(self.folder, "%04d.eml" % self.n)
        with open(path + ".tmp", "wb") as f:
            f.write(("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n"
                     % (envelope.mail_from, ",".join(envelope.rcpt_tos))).encode())
            f.write(envelope.original_content or envelope.content)
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain",))
        with open(os.path.join(self.folder, "%04d.txt" % self.n), "w",
                  encoding="utf-8") as f:
            f.write("Subject: %s\n\n" % msg["subject"])
            f.write(part.get_content() if part else "")
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Saved as %04d" % self.n


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    ctl = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    ctl.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        ctl.stop()


if __name__ == "__main__":
    main()
