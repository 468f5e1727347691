// @ts-types="@types/qrcode"
import QRCode from "qrcode";

/**
 * A QR code drawn as inline SVG (one path, dark modules only), from the
 * module matrix `qrcode` computes; no data URL, no raw HTML.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
  const quiet = 2;
  let d = "";
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (data[row * size + col]) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const box = size + quiet * 2;
  return (
    <svg
      class="qr"
      viewBox={`0 0 ${box} ${box}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={box} height={box} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
