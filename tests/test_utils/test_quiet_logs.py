import logging

from mmpose_animal.utils.quiet_logs import KnownNoiseFilter


def record(message):
    return logging.LogRecord('mmengine', logging.WARNING, __file__, 1, message, None, None)


def test_only_the_known_messages_are_dropped():
    keep = KnownNoiseFilter().filter
    assert not keep(record('The prefix is not set in metric class PCKAccuracy.'))
    assert not keep(record('"FileClient" will be deprecated in future. Please use io functions'))
    assert not keep(record('"HardDiskBackend" is the alias of "LocalBackend" and the former'))
    assert keep(record('The prefix is not set in metric class MyOwnMetric.'))
    assert keep(record('Epoch(train) [1][6/6] loss: 0.1'))
