import sys

from kratom_recovery.cli import main

sys.exit(main())
