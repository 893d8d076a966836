"""Democratic appraisal and satisfaction ballots (民主评议、满意度测评、群众评判).

codes: the one-time codes; scope: who runs rounds and reads results; services: every change;
results: progress and results; throttle: the public box's brake on code guessing.
"""
