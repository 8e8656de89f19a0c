package io.xscheck.conformance.engine;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which guest watches QEMU's migration loses, from the order QEMU keeps each path's watches in
 * (xenstore_impl.c do_xs_impl_watch, xs_impl_unwatch, save_watch; docs/divergences.md "a guest watch
 * that is not the first on its path is lost").
 */
class QemuWatchListsTest {

    @Test
    void aMigrationKeepsTheFirstWatchOfAPathWhenItIsAGuests() {
        QemuWatchLists lists = new QemuWatchLists();
        lists.watched("/local/domain/1", "G", 1, "g1");
        lists.watched("/local/domain/1", "G", 1, "g2");
        lists.watched("/local/domain/1/x", "G", 1, "alone");
        assertEquals(Set.of("G\0g2"), lists.migrated());
        // restored as saved: one watch per path, nothing more lost at the next migration
        assertEquals(Set.of(), lists.migrated());
    }

    @Test
    void aGuestWatchAfterDom0sOnItsPathIsLost() {
        QemuWatchLists lists = new QemuWatchLists();
        lists.watched("/local/domain/1", "A", 0, "a");
        lists.watched("/local/domain/1", "G", 1, "g");
        assertEquals(Set.of("G\0g"), lists.migrated());
    }

    @Test
    void aNewWatchGoesSecondSoTheNewestBecomesFirstWhenTheFirstGoes() {
        QemuWatchLists lists = new QemuWatchLists();
        lists.watched("/p", "A", 0, "a");
        lists.watched("/p", "G", 1, "old");
        lists.watched("/p", "G", 1, "new");
        lists.unwatched("/p", "A", 0, "a");
        assertEquals(Set.of("G\0old"), lists.migrated());
    }

    @Test
    void unwatchOfALaterWatchTakesTheSameDomainsOnAnotherConnection() {
        QemuWatchLists lists = new QemuWatchLists();
        lists.watched("/p", "A", 0, "a");
        lists.watched("/p", "G", 1, "t");
        lists.watched("/p", "H", 1, "t");
        // G's UNWATCH removes H's watch (the inverted opaque test), G's stays and is lost
        lists.unwatched("/p", "G", 1, "t");
        assertEquals(Set.of("G\0t"), lists.migrated());
    }

    @Test
    void aDeadGuestsWatchesAreGone() {
        QemuWatchLists lists = new QemuWatchLists();
        lists.watched("/p", "G", 1, "first");
        lists.watched("/p", "H", 2, "second");
        lists.closed("G");
        assertEquals(Set.of(), lists.migrated());
    }
}
