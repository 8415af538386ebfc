from maskgan_studio.cli import main

raise SystemExit(main())
