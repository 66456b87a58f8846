package ring0.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import ring0.abi.Service;

/** The read-write layout as {@link ElfImage} states it: limit word, reserved word, slots, data. */
class ElfImageTest {
    private static ElfImage image(int rwOffset, List<Service> imports) {
        return new ElfImage(0x401000, new byte[] {(byte) 0xc3}, rwOffset, imports,
                (int) ElfImage.dataOffsetFor(rwOffset, imports.size()), new byte[0], 0, List.of(), null, 0x1000, -1);
    }

    @Test
    void controlWordsComeBeforeTheSlots() {
        ElfImage img = image(0x3000, List.of(Service.STOP, Service.WRITE, Service.EXIT));
        assertThat(img.limitOffset()).isEqualTo(0x3000);
        assertThat(img.reservedOffset()).isEqualTo(0x3008);
        assertThat(img.slotOffset(0)).isEqualTo(0x3010);
        assertThat(img.slotOffset(2)).isEqualTo(0x3020);
        assertThat(ElfImage.slotOffset(0x3000, 2)).isEqualTo(0x3020);
        assertThat(img.dataOffset()).isEqualTo(0x3030);
    }

    @Test
    void dataFollowsTheSlotsSixteenAligned() {
        int[] expected = {0x1010, 0x1020, 0x1020, 0x1030, 0x1030};
        for (int n = 0; n < expected.length; n++) {
            assertThat(ElfImage.dataOffsetFor(0x1000, n)).as("%d imports", n).isEqualTo(expected[n]);
        }
        int all = Service.values().length;
        assertThat(ElfImage.dataOffsetFor(0x1000, all)).isEqualTo(0x1000 + (16 + 8 * all + 15) / 16 * 16);
        assertThat(image(0x1000, Collections.nCopies(0, Service.EXIT)).imageSize()).isEqualTo(0x1010);
    }
}
