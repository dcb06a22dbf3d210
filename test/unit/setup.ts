// Node has no IndexedDB: unit tests run the real Dexie store on fake-indexeddb.
import 'fake-indexeddb/auto'
