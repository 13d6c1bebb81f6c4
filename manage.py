#!/usr/bin/env python
from essor.cli import main

if __name__ == "__main__":
    main()
