package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The per-file page table: agrees with a sorted map under random use, sparse indexes, order, empty chunks. */
class PageTableTest {
    private static Page page(long index) { return new Page(null, index, null); }

    @Test
    void agreesWithASortedMap() {
        PageTable t = new PageTable();
        TreeMap<Long, Page> model = new TreeMap<>();
        Random rnd = new Random(7);
        long[] bases = {0, PageTable.CHUNK - 3, 5L * PageTable.CHUNK, (1L << 32) - 10, (1L << 40) + 1};
        for (int step = 0; step < 20_000; step++) {
            long index = bases[rnd.nextInt(bases.length)] + rnd.nextInt(3 * PageTable.CHUNK);
            Page there = model.get(index);
            assertThat(t.get(index)).isSameAs(there);
            if (there == null) {
                Page p = page(index);
                t.put(p);
                model.put(index, p);
            } else if (rnd.nextBoolean()) {
                t.remove(there);
                model.remove(index);
            }
            assertThat(t.size()).isEqualTo(model.size());
            assertThat(t.isEmpty()).isEqualTo(model.isEmpty());
        }
        List<Page> inOrder = new ArrayList<>();
        t.forEachInOrder(inOrder::add);
        assertThat(inOrder).containsExactlyElementsOf(model.values());
        for (Page p : new ArrayList<>(model.values())) t.remove(p);
        assertThat(t.isEmpty()).isTrue();
        for (long i : model.keySet()) assertThat(t.get(i)).isNull();
    }

    @Test
    void removeIgnoresAnotherPageAtTheSameIndexAndPutRejectsADuplicate() {
        PageTable t = new PageTable();
        Page a = page(70), stranger = page(70);
        t.put(a);
        t.remove(stranger);
        assertThat(t.get(70)).isSameAs(a);
        assertThatThrownBy(() -> t.put(stranger)).isInstanceOf(IllegalStateException.class);
        t.remove(a);
        assertThat(t.get(70)).isNull();
        assertThat(t.size()).isZero();
        // The chunk went with its last page; a new page there starts a new one.
        t.put(stranger);
        assertThat(t.get(70)).isSameAs(stranger);
        t.clear();
        assertThat(t.get(70)).isNull();
        assertThat(t.isEmpty()).isTrue();
    }
}
