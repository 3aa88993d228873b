"""The test world, built through the app's services: one place for every test folder and for
the benchmarks in bench/.

- `people`: the two teams and their accounts (`World`, `PASSWORD`, `make_team`, `make_user`);
- `cases`: a family's case, conversation notes, the plan and the network;
- `care`: safety concerns and the Meldcode, resources and referrals, case discussions, print
  jobs and password links;
- `team_file`: a team's whole case file, an object of every kind a URL can name;
- `town`: both teams with a case file each, for the fuzzing and the security walks;
- `urls`: which object each URL parameter names (the one table of the URL walks);
- `rows`: a world built once and put back for every test;
- `app_api`: everything the factories take from the app.

The fixtures that hand these to tests (`world`, `town`) are in tests/conftest.py.
"""
