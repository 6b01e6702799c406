from coachdesk.store.hlc import Clock, Timestamp


def test_encoding_is_fixed_width_and_sorts_like_time() -> None:
    a, b = Timestamp(5, 999), Timestamp(40, 0)
    assert len(a.encode()) == len(b.encode()) == 23
    assert a.encode() < b.encode()
    assert Timestamp.decode(a.encode()) == a


def test_ticks_never_go_backwards_when_the_wall_clock_does() -> None:
    wall = [1000]
    clock = Clock(now_ms=lambda: wall[0])
    first = clock.tick()
    wall[0] = 10  # the laptop clock jumped back
    second = clock.tick()
    assert second > first


def test_observe_moves_past_a_peer_in_the_future() -> None:
    clock = Clock(now_ms=lambda: 1000)
    clock.observe(Timestamp(2_000_000_000_000, 7))
    assert clock.tick() > Timestamp(2_000_000_000_000, 7)


def test_counter_overflow_moves_to_next_millisecond() -> None:
    clock = Clock(Timestamp(50, 999_999), now_ms=lambda: 50)
    assert clock.tick() == Timestamp(51, 0)


def test_tick_after_passes_a_floor_ahead_without_moving_the_clock() -> None:
    clock = Clock(now_ms=lambda: 1000)
    floor = Timestamp(2_000_000_000_000, 7)
    assert clock.tick_after(floor) == Timestamp(2_000_000_000_000, 8)
    assert clock.tick_after(Timestamp(3, 999_999)) == Timestamp(1000, 1)
    assert clock.tick_after(Timestamp(5000, 999_999)) == Timestamp(5001, 0)
    assert clock.tick() < floor
