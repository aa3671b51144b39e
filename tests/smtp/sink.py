"""A real SMTP server for the end-to-end tests: listens on 127.0.0.1:PORT and writes each
message it accepts as one .eml file into DIR (written to a temporary name, then renamed,
so a reader never sees half a message). Runs until killed.

usage: python3 sink.py PORT DIR
"""

import asyncio
import os
import sys
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        tmp = os.path.join(self.directory, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.directory, name + ".eml"))
        return "250 OK"


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
