"""The simulated CLB workers of `make load`: open cases, save steps, ask previews, download documents.

Each user works on a case of its own (as CLB workers do), logs in once, and after a save downloads the verslag
3 seconds later: the download that "documents ready before they are asked for" must make instant. Between two
actions a user waits TRAJECT_LOAD_THINK seconds ("min,max"; bench/load.py PROFILES).
"""
import os
import random
import re

from locust import HttpUser, between, events, task

from tests.wizard.helpers import read_form


CASE_IDS = [int(i) for i in os.environ['TRAJECT_LOAD_CASES'].split(',')]
PASSWORD = os.environ['TRAJECT_LOAD_PASSWORD']
THINK = [float(s) for s in os.environ.get('TRAJECT_LOAD_THINK', '1,3').split(',')]
# The figures count from this many seconds after the last user logged in: 50 logins in 5 s (each a deliberately slow
# password hash) are not what a working day looks like, and the queue they leave would be counted against every page.
WARM_UP = float(os.environ.get('TRAJECT_LOAD_WARM_UP', 10))


_ENVIRONMENT: list = []


@events.init.add_listener
def _remember(environment, **_kwargs) -> None:
    _ENVIRONMENT.append(environment)


@events.spawning_complete.add_listener
def _count_from_after_the_logins(user_count: int) -> None:
    import gevent

    def reset() -> None:
        gevent.sleep(WARM_UP)
        _ENVIRONMENT[0].runner.stats.reset_all()
    gevent.spawn(reset)


_next_case = iter(range(10 ** 6))


class ClbWorker(HttpUser):
    """One CLB worker at work on one case."""

    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.case_id = CASE_IDS[next(_next_case) % len(CASE_IDS)]
        page = self.client.get('/login', name='login page').text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        self.client.post('/login', data={'username': 'last', 'password': PASSWORD, 'csrf_token': token},
                         name='login')

    @task(3)
    def case_list(self) -> None:
        self.client.get('/', name='case list')

    @task(3)
    def open_case(self) -> None:
        self.client.get(f'/cases/{self.case_id}', name='case page')

    @task(2)
    def save_step(self) -> None:
        url = f'/cases/{self.case_id}/steps/aanmelding'
        data = read_form(self.client.get(url, name='step page').text)
        data['aanleiding'] = f'Aanleiding, versie {random.randint(1, 10 ** 9)}.'
        with self.client.post(url, data={**data, 'action': 'volgende'}, name='step save', allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f'save answered {response.status_code}')
                return
        self._sleep(3)
        with self.client.get(f'/cases/{self.case_id}/documents/verslag.pdf', name='download 3 s after save',
                             catch_response=True) as response:
            if not response.content.startswith(b'%PDF'):
                response.failure('no PDF')

    @task(2)
    def preview(self) -> None:
        self.client.get(f'/cases/{self.case_id}/preview/verslag', name='preview')

    def _sleep(self, seconds: float) -> None:
        import gevent
        gevent.sleep(seconds)
