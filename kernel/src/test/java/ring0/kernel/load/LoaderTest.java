package ring0.kernel.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image and stack mappings: layout, contents and page permissions. Nothing here runs program code. */
class LoaderTest {
    static ProgramImage image(int textSize, List<String> imports, byte[] data) {
        byte[] text = new byte[textSize];
        Arrays.fill(text, (byte) 0x90);
        int rw = (int) NativeMemory.pageAlign(textSize);
        int dataOffset = (rw + 16 + 8 * imports.size() + 15) & -16;
        return new ProgramImage(text, rw, imports, dataOffset, data, 8);
    }

    @Test
    @SuppressWarnings("restricted")
    void theImageKeepsItsLayoutAndTextIsNeverWritable() throws Exception {
        byte[] data = "some data".getBytes(StandardCharsets.US_ASCII);
        ProgramImage img = image(5000, List.of("stop", "write", "exit"), data);
        try (LoadedImage li = LoadedImage.load(img, i -> 0x1000L * (i + 1), 0xabcdefL)) {
            long b = li.base();
            assertThat(b % NativeMemory.PAGE).isZero();
            assertThat(li.entry()).isEqualTo(b + 8);
            MemorySegment all = MemorySegment.ofAddress(b).reinterpret(img.size());
            assertThat(all.asSlice(0, 5000).toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0x90);
            assertThat(all.get(ValueLayout.JAVA_LONG, 8192)).as("limit word").isEqualTo(0xabcdefL);
            assertThat(all.get(ValueLayout.JAVA_LONG, 8192 + 8)).as("reserved word").isZero();
            for (int i = 0; i < 3; i++) assertThat(li.slot(i)).isEqualTo(0x1000L * (i + 1));
            assertThat(all.get(ValueLayout.JAVA_LONG, 8192 + 16 + 8)).isEqualTo(0x2000L);
            assertThat(li.data().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(data);
            assertThat(li.data().address()).isEqualTo(b + 8192 + 48);
            assertThat(Maps.permissions(b)).isEqualTo("r-xp");
            assertThat(Maps.permissions(b + 4096)).isEqualTo("r-xp");
            assertThat(Maps.permissions(b + 8192)).isEqualTo("rw-p");
            li.setLimit(-1);
            assertThat(li.limit()).isEqualTo(-1);
        }
    }

    @Test
    void imagesWithoutRoomForTheLimitWordAreRefused() {
        // the layout from before the limit word: data right after the slots at rwOffset
        assertThatThrownBy(() -> new ProgramImage(new byte[10], 4096, List.of("write"), 4096 + 16, new byte[0], 0))
                .hasMessageContaining("overlaps the limit word");
        assertThatThrownBy(() -> new ProgramImage(new byte[10], 100, List.of(), 128, new byte[0], 0))
                .hasMessageContaining("not page-aligned");
        assertThatThrownBy(() -> new ProgramImage(new byte[10], 4096, List.of(), 4112, new byte[0], 10))
                .hasMessageContaining("entry");
        assertThatThrownBy(() -> new ProgramImage(new byte[10], 4096, List.of("a", "a"), 4128, new byte[0], 0))
                .hasMessageContaining("duplicate");
    }

    @Test
    void theStackHasAGuardPageTheLimitAndTheArgumentArray() throws Exception {
        List<byte[]> args = List.of("prog".getBytes(), new byte[0], "x".repeat(20).getBytes());
        try (ProgramStack s = ProgramStack.create(256 * 1024, args)) {
            assertThat(s.top() % 16).isZero();
            assertThat(s.top() - s.bottom()).isEqualTo(256 * 1024);
            assertThat(s.limit()).isEqualTo(s.bottom() + 64 * 1024);
            assertThat(Maps.permissions(s.bottom() - 1)).isEqualTo("---p");
            assertThat(Maps.permissions(s.bottom())).isEqualTo("rw-p");
            MemorySegment a = s.argsRegion();
            assertThat(a.address()).isEqualTo(s.args()).isEqualTo(s.top());
            assertThat(a.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                long p = a.get(ValueLayout.JAVA_LONG, 8 + 8L * i);
                assertThat(p % 8).isZero();
                long off = p - a.address();
                assertThat(a.get(ValueLayout.JAVA_LONG, off)).isEqualTo(args.get(i).length);
                assertThat(a.asSlice(off + 8, args.get(i).length).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(args.get(i));
                assertThat(a.get(ValueLayout.JAVA_BYTE, off + 8 + args.get(i).length)).as("NUL after the bytes").isZero();
            }
        }
    }

    @Test
    void stackSizesAndArgumentsAreBounded() {
        assertThatThrownBy(() -> ProgramStack.create(64 * 1024, List.of())).isInstanceOf(LoadException.class);
        assertThatThrownBy(() -> ProgramStack.create(256 * 1024 + 1, List.of())).isInstanceOf(LoadException.class);
        assertThatThrownBy(() -> ProgramStack.create(256 * 1024, List.of(new byte[3 << 20])))
                .isInstanceOf(LoadException.class).hasMessageContaining("arguments too long");
    }

    @Test
    void nativeMemoryReportsErrno() {
        assertThatThrownBy(() -> NativeMemory.map(1L << 56, NativeMemory.PROT_READ))
                .isInstanceOf(NativeMemoryException.class).hasMessageContaining("errno 12");
    }
}
