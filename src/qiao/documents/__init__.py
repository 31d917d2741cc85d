"""Agendas and documents of an event's matchmaking: data, PDF, ICS, XLSX and the mails.

Plain Python inside the ``qiao`` package (not a Django app): the data
assembly (:mod:`.agenda`, :mod:`.plans`) reads the meetings app's models;
the writers (:mod:`.pdf`, :mod:`.ics`, :mod:`.xlsx`) turn that data into files
in the reader's language; :mod:`.tokens` signs the private calendar feed
addresses; :mod:`.notify` sends the agenda and change mails.
"""
