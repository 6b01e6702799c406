# sqlcipher3 ships no type information (no py.typed, no stubs package). It is pysqlite3
# built against SQLCipher: the same DB-API module as the standard library's sqlite3, so
# its names are typed as sqlite3's. Only what coachdesk uses is checked this way.
from sqlite3 import *  # noqa: F403
from sqlite3 import Connection as Connection
from sqlite3 import Cursor as Cursor
from sqlite3 import DatabaseError as DatabaseError
from sqlite3 import Error as Error
from sqlite3 import IntegrityError as IntegrityError
from sqlite3 import OperationalError as OperationalError
from sqlite3 import Row as Row
from sqlite3 import connect as connect
