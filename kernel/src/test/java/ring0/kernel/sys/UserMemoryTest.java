package ring0.kernel.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import ring0.kernel.proc.AddressSpace;
import ring0.kernel.proc.QuotaExceeded;

/** Pointer checks against the process's own regions, and the heap's quota. */
class UserMemoryTest {
    @Test
    void byteArraysMustLieWhollyInsideOneRegion() {
        try (Arena arena = Arena.ofConfined(); AddressSpace mem = new AddressSpace(1 << 20)) {
            MemorySegment r = arena.allocate(64, 16);
            mem.addRegion(r);
            long p = r.address();
            r.set(ValueLayout.JAVA_LONG, 0, 56);
            assertThat(UserMemory.bytes(mem, p).byteSize()).isEqualTo(56);
            assertThat(UserMemory.bytes(mem, p).address()).isEqualTo(p + 8);
            r.set(ValueLayout.JAVA_LONG, 0, 57);
            assertThat(UserMemory.bytes(mem, p)).as("one byte past the region").isNull();
            r.set(ValueLayout.JAVA_LONG, 0, -1);
            assertThat(UserMemory.bytes(mem, p)).as("a huge (unsigned) length").isNull();
            r.set(ValueLayout.JAVA_LONG, 0, 0);
            assertThat(UserMemory.bytes(mem, p).byteSize()).isZero();
            r.set(ValueLayout.JAVA_LONG, 56, 0);
            assertThat(UserMemory.bytes(mem, p + 56).byteSize()).as("empty array in the last word").isZero();
            assertThat(UserMemory.bytes(mem, p + 60)).as("unaligned").isNull();
            assertThat(UserMemory.bytes(mem, p + 64)).as("just past the region").isNull();
            assertThat(UserMemory.bytes(mem, p - 8)).as("just before").isNull();
            assertThat(UserMemory.bytes(mem, 0)).isNull();
            assertThat(UserMemory.bytes(mem, -8)).isNull();
            r.set(ValueLayout.JAVA_LONG, 0, 7);
            assertThat(UserMemory.words(mem, p).byteSize()).isEqualTo(56);
            r.set(ValueLayout.JAVA_LONG, 0, 8);
            assertThat(UserMemory.words(mem, p)).isNull();
            r.set(ValueLayout.JAVA_LONG, 0, 1L << 61);
            assertThat(UserMemory.words(mem, p)).as("length * 8 would wrap").isNull();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void regionsAreSeparate() throws Exception {
        try (Arena arena = Arena.ofConfined(); AddressSpace mem = new AddressSpace(1 << 20)) {
            MemorySegment a = arena.allocate(4096, 4096), b = arena.allocate(4096, 4096);
            mem.addRegion(a);
            mem.addRegion(b);
            assertThat(mem.region(a.address() + 4000, 96)).isEqualTo(a);
            assertThat(mem.region(a.address() + 4000, 97)).isNull();
            assertThat(mem.region(b.address(), 4096)).isEqualTo(b);
            assertThat(mem.region(b.address() + 1, -1)).isNull();
            assertThatThrownBy(() -> mem.addRegion(a.asSlice(8, 8))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theHeapIsZeroedAlignedInsideItsRegionsAndCounted() throws Exception {
        try (AddressSpace mem = new AddressSpace(2 << 20)) {
            long a = mem.allocate(24), b = mem.allocate(1), c = mem.allocate(300_000);
            assertThat(new long[] {a % 16, b % 16, c % 16}).containsOnly(0);
            assertThat(b).isGreaterThanOrEqualTo(a + 32);
            assertThat(mem.used()).isEqualTo(32 + 16 + 300_000);
            assertThat(mem.region(c, 300_000)).isNotNull();
            MemorySegment s = mem.region(a, 32).asSlice(a - mem.region(a, 32).address(), 32);
            assertThat(s.toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
            assertThatThrownBy(() -> mem.allocate(2 << 20)).isInstanceOf(QuotaExceeded.class)
                    .hasMessageStartingWith("memory quota exceeded");
            assertThatThrownBy(() -> mem.allocate(-1)).isInstanceOf(QuotaExceeded.class);
            long used = mem.used();
            mem.allocate((2 << 20) - used);
            assertThatThrownBy(() -> mem.allocate(1)).isInstanceOf(QuotaExceeded.class);
        }
    }
}
