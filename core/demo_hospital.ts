/**
 * What `kabar demo seed` writes: an Indonesian hospital's WhatsApp line —
 * patients' names, their questions (doctors' schedules, lab results, BPJS,
 * registration, visiting hours, complaints) and the staff's answers — made
 * from word lists with a seeded random source, so one seed gives the same
 * conversations. Pure: the database side is db/demo_seed.ts.
 */
import type { MessageDirection } from "./message_direction.ts";

/** A random source in [0, 1), as `Math.random`. */
export type Random = () => number;

/** A small, fast, seeded random source (mulberry32). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `items`. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** The demo's sandbox channels (a registration line and a laboratory line) and departments. */
export const DEMO_CHANNELS = [
  { name: "Demo RS Sehat", department: "Demo Pendaftaran" },
  { name: "Demo RS Sehat Lab", department: "Demo Laboratorium" },
] as const;

/** The demo's labels, with their colours. */
export const DEMO_LABELS = [
  { name: "BPJS", color: "#16a34a" },
  { name: "Lab", color: "#2563eb" },
  { name: "Jadwal", color: "#9333ea" },
  { name: "Komplain", color: "#dc2626" },
  { name: "Rawat Inap", color: "#ea580c" },
] as const;

export type DemoLabel = typeof DEMO_LABELS[number]["name"];

export const FIRST_NAMES: readonly string[] = [
  "Budi",
  "Siti",
  "Agus",
  "Dewi",
  "Rina",
  "Ahmad",
  "Putri",
  "Wahyu",
  "Sri",
  "Andi",
  "Nur",
  "Eko",
  "Fitri",
  "Yusuf",
  "Lestari",
  "Hendra",
  "Ratna",
  "Bambang",
  "Indah",
  "Rudi",
  "Maya",
  "Joko",
  "Ayu",
  "Dedi",
  "Nurhayati",
  "Slamet",
  "Wati",
  "Hadi",
  "Yuni",
  "Teguh",
  "Rahmawati",
  "Arif",
  "Dian",
  "Fajar",
  "Kartika",
  "Irfan",
  "Mega",
  "Rizky",
  "Anisa",
  "Bayu",
  "Citra",
  "Doni",
  "Endang",
  "Gilang",
  "Hana",
  "Imam",
  "Juwita",
  "Komang",
  "Made",
  "Ketut",
  "Wayan",
  "Nyoman",
  "Ucok",
  "Butet",
  "Asep",
  "Euis",
  "Cecep",
  "Yanti",
  "Tuti",
  "Sutrisno",
  "Suparmi",
  "Aisyah",
  "Fauzan",
  "Nabila",
  "Reza",
  "Safitri",
  "Taufik",
  "Utami",
  "Vina",
  "Yoga",
  "Zahra",
];

export const LAST_NAMES: readonly string[] = [
  "Santoso",
  "Wijaya",
  "Saputra",
  "Lestari",
  "Pratama",
  "Kurniawan",
  "Hidayat",
  "Nugroho",
  "Setiawan",
  "Siregar",
  "Nasution",
  "Harahap",
  "Simanjuntak",
  "Gunawan",
  "Susanto",
  "Halim",
  "Rahman",
  "Hakim",
  "Purnomo",
  "Wibowo",
  "Sihombing",
  "Panjaitan",
  "Lubis",
  "Tanjung",
  "Suryani",
  "Permana",
  "Ramadhan",
  "Firmansyah",
  "Hasibuan",
  "Sitompul",
  "Manurung",
  "Putra",
  "Maharani",
  "Anggraini",
  "Handayani",
  "Sulistyo",
  "Prasetyo",
  "Wulandari",
  "Syahputra",
  "Rangkuti",
  "Tambunan",
  "Daulay",
  "Pohan",
  "Marpaung",
  "Effendi",
  "Yulianti",
  "Hartono",
];

const NICKNAMES = ["Bu", "Pak", "Kak", "Mas", "Mbak"] as const;

const DOCTORS = [
  ["dr. Andreas Wijaya, Sp.PD", "Poli Penyakit Dalam"],
  ["dr. Ratna Sari, Sp.A", "Poli Anak"],
  ["dr. Hendra Gunawan, Sp.OG", "Poli Kandungan"],
  ["dr. Maya Lestari, Sp.JP", "Poli Jantung"],
  ["dr. Irfan Hakim, Sp.N", "Poli Saraf"],
  ["dr. Dewi Anggraini, Sp.M", "Poli Mata"],
  ["dr. Bambang Susanto, Sp.THT-KL", "Poli THT"],
  ["drg. Putri Maharani", "Poli Gigi"],
  ["dr. Taufik Rahman, Sp.B", "Poli Bedah"],
  ["dr. Citra Handayani, Sp.KK", "Poli Kulit dan Kelamin"],
  ["dr. Yusuf Nasution, Sp.OT", "Poli Ortopedi"],
  ["dr. Anisa Putri, Sp.P", "Poli Paru"],
] as const;

const DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"] as const;
const HOURS = ["08.00", "09.00", "10.00", "13.00", "14.00", "15.30", "16.00", "18.30"] as const;
const LAB_TESTS = [
  "darah lengkap",
  "gula darah puasa",
  "kolesterol",
  "asam urat",
  "HbA1c",
  "fungsi ginjal",
  "fungsi hati",
  "urine lengkap",
  "trigliserida",
  "elektrolit",
  "rontgen thorax",
  "swab PCR",
] as const;
const WARDS = ["Melati", "Mawar", "Anggrek", "Dahlia", "Kenanga", "Cempaka", "ICU", "VIP Wijaya"];
const THANKS = [
  "Terima kasih banyak",
  "Baik, terima kasih infonya",
  "Oke siap, makasih ya",
  "Terima kasih, sangat membantu",
  "Siap, terima kasih kak",
  "Baik kak, nanti saya ke sana",
] as const;
const GREETINGS = [
  "Selamat pagi",
  "Selamat siang",
  "Selamat sore",
  "Assalamualaikum",
  "Permisi",
  "Halo",
  "Pagi kak",
] as const;

/** What one conversation is mostly about; decides its label and its department. */
export const TOPICS = ["jadwal", "lab", "bpjs", "pendaftaran", "besuk", "komplain"] as const;
export type Topic = typeof TOPICS[number];

/** How often each topic opens a conversation, in this order (sums to 1). */
const TOPIC_WEIGHTS = [0.3, 0.2, 0.2, 0.15, 0.1, 0.05];

/** The label a conversation about `topic` may carry. */
export const TOPIC_LABEL: Record<Topic, DemoLabel> = {
  jadwal: "Jadwal",
  lab: "Lab",
  bpjs: "BPJS",
  pendaftaran: "Jadwal",
  besuk: "Rawat Inap",
  komplain: "Komplain",
};

/** A conversation's topic, by the weights above. */
export function pickTopic(random: Random): Topic {
  let r = random();
  for (let i = 0; i < TOPICS.length; i++) {
    r -= TOPIC_WEIGHTS[i];
    if (r < 0) return TOPICS[i];
  }
  return "jadwal";
}

/** A patient's full name. */
export function patientName(random: Random): string {
  const first = pick(random, FIRST_NAMES);
  return random() < 0.15 ? first : `${first} ${pick(random, LAST_NAMES)}`;
}

/** What a patient may be called by staff (`Bu Siti`, `Pak Budi`). */
function salutation(random: Random, name: string): string {
  return `${pick(random, NICKNAMES)} ${name.split(" ")[0]}`;
}

interface Ctx {
  random: Random;
  name: string;
  call: string;
  doctor: string;
  poli: string;
  day: string;
  hour: string;
  test: string;
  ward: string;
  rm: string;
  queue: number;
}

type Line = (c: Ctx) => string;

/** What the patient asks, by topic. */
const ASK: Record<Topic, Line[]> = {
  jadwal: [
    (c) => `${pick(c.random, GREETINGS)}, mau tanya jadwal dokter ${c.doctor} hari ${c.day} ada?`,
    (c) => `Jadwal praktek ${c.poli} hari ${c.day} jam berapa ya?`,
    (c) => `Kak, ${c.doctor} praktek sampai jam berapa hari ini?`,
    (c) => `Apakah jadwal dokter ${c.poli} minggu depan sudah keluar?`,
    (c) => `Mau daftar kontrol ke ${c.poli}, kapan jadwal dokternya?`,
    (c) => `${pick(c.random, GREETINGS)}, dokter spesialis jantung ada jadwal hari ${c.day}?`,
  ],
  lab: [
    (c) =>
      `${pick(c.random, GREETINGS)}, hasil laboratorium saya sudah keluar belum? No RM ${c.rm}`,
    (c) => `Mau tanya hasil lab ${c.test} atas nama ${c.name}`,
    (c) => `Untuk cek ${c.test} harus puasa berapa jam ya?`,
    () => `Hasil laboratorium bisa dikirim lewat WA saja? Saya di luar kota`,
    (c) => `Biaya pemeriksaan ${c.test} berapa ya kak?`,
    (c) => `Lab buka jam berapa? Mau cek ${c.test}`,
  ],
  bpjs: [
    (c) => `${pick(c.random, GREETINGS)}, apakah bisa berobat pakai BPJS ke ${c.poli}?`,
    () => `Syarat berobat BPJS apa saja ya? Rujukan dari puskesmas saya sudah ada`,
    () => `Rujukan BPJS saya habis bulan ini, bagaimana cara perpanjangnya?`,
    () => `Kartu BPJS saya tidak aktif katanya, apa bisa daftar umum dulu?`,
    () => `Untuk rawat inap BPJS kelas 2 masih ada kamar kosong?`,
    (c) => `Obat dari ${c.poli} ditanggung BPJS semua atau ada yang bayar?`,
  ],
  pendaftaran: [
    (c) => `${pick(c.random, GREETINGS)}, mau daftar online untuk ${c.poli} hari ${c.day}`,
    (c) => `Pendaftaran pasien baru bisa lewat WA? Nama ${c.name}`,
    (c) => `Saya sudah daftar tapi belum dapat nomor antrian, No RM ${c.rm}`,
    (c) => `Bisa ganti jadwal kontrol saya ke hari ${c.day}?`,
    (c) => `Mau batal periksa besok ke ${c.doctor}, bagaimana caranya?`,
    () => `Pendaftaran buka dari jam berapa ya?`,
  ],
  besuk: [
    (c) => `${pick(c.random, GREETINGS)}, jam besuk pasien rawat inap jam berapa saja?`,
    (c) => `Keluarga saya dirawat di ruang ${c.ward}, boleh bawa anak kecil untuk besuk?`,
    () => `Penunggu pasien boleh berapa orang ya?`,
    (c) => `Mau tanya jam besuk ruang ${c.ward} hari Minggu`,
    () => `Parkir untuk pengunjung di sebelah mana ya?`,
  ],
  komplain: [
    (c) => `Saya sudah menunggu 3 jam di ${c.poli} belum dipanggil juga`,
    () => `Kenapa hasil lab saya belum keluar padahal sudah 3 hari?`,
    () => `Petugas pendaftaran kurang ramah tadi pagi, mohon diperhatikan`,
    (c) => `AC di ruang tunggu ${c.poli} mati, panas sekali`,
    () => `Antrian apotek lama sekali, sudah 2 jam belum dapat obat`,
  ],
};

/** What the patient adds before staff answer. */
const MORE: Line[] = [
  (c) => `Atas nama ${c.name}`,
  (c) => `No RM saya ${c.rm}`,
  () => `Mohon infonya ya`,
  () => `Ditunggu balasannya kak`,
  () => `Terima kasih sebelumnya`,
  (c) =>
    `Tanggal lahir ${1 + Math.floor(c.random() * 28)}-${1 + Math.floor(c.random() * 12)}-19${
      50 + Math.floor(c.random() * 50)
    }`,
];

/** What staff answer, by topic. */
const ANSWER: Record<Topic, Line[]> = {
  jadwal: [
    (c) =>
      `${
        pick(c.random, GREETINGS)
      } ${c.call}, jadwal ${c.doctor} di ${c.poli} hari ${c.day} pukul ${c.hour}–${
        c.hour === "18.30" ? "21.00" : "12.00"
      } WIB.`,
    (c) =>
      `Baik ${c.call}, ${c.doctor} praktek hari ${c.day} jam ${c.hour}. Pendaftaran ditutup 1 jam sebelum praktek selesai.`,
    (c) =>
      `Mohon maaf ${c.call}, ${c.doctor} sedang cuti hari ${c.day}. Bisa dengan dokter pengganti di ${c.poli}.`,
    (c) =>
      `Jadwal dokter ${c.poli} minggu depan: ${c.day} dan ${
        pick(c.random, DAYS)
      } pukul ${c.hour} WIB.`,
  ],
  lab: [
    (c) =>
      `${c.call}, hasil laboratorium ${c.test} sudah keluar dan bisa diambil di loket lab lantai 1.`,
    (c) =>
      `Hasil lab atas nama ${c.name} masih diproses, estimasi selesai besok pukul ${c.hour} WIB.`,
    (c) => `Untuk pemeriksaan ${c.test} ${c.call} perlu puasa 10–12 jam, boleh minum air putih.`,
    () => `Laboratorium buka setiap hari pukul 07.00–20.00 WIB, Minggu 08.00–12.00 WIB.`,
    (c) =>
      `Biaya pemeriksaan ${c.test} Rp${
        50 + Math.floor(c.random() * 40) * 10
      }.000 untuk pasien umum.`,
  ],
  bpjs: [
    (c) =>
      `Bisa ${c.call}, silakan bawa kartu BPJS, KTP, dan surat rujukan dari faskes pertama ke loket BPJS.`,
    (c) =>
      `Rujukan BPJS berlaku 90 hari. Untuk perpanjangan silakan minta rujukan baru di puskesmas ${c.call}.`,
    (c) =>
      `Mohon maaf ${c.call}, kepesertaan BPJS harus aktif. Bisa daftar sebagai pasien umum terlebih dahulu.`,
    (c) => `Kamar rawat inap BPJS kelas 2 saat ini tersedia di ruang ${c.ward}, ${c.call}.`,
  ],
  pendaftaran: [
    (c) =>
      `Baik ${c.call}, sudah kami daftarkan ke ${c.poli} hari ${c.day}, nomor antrian ${c.queue}. Mohon datang 30 menit sebelumnya.`,
    (c) => `Untuk pasien baru mohon kirim foto KTP dan kartu BPJS (bila ada), ${c.call}.`,
    (c) => `Jadwal kontrol ${c.call} sudah kami pindahkan ke hari ${c.day} pukul ${c.hour} WIB.`,
    (c) => `Pendaftaran rawat jalan buka Senin–Sabtu pukul 07.00 WIB, ${c.call}.`,
  ],
  besuk: [
    (c) => `Jam besuk pasien rawat inap pukul 11.00–13.00 dan 17.00–20.00 WIB, ${c.call}.`,
    (c) =>
      `Mohon maaf ${c.call}, anak di bawah 12 tahun belum diperbolehkan masuk ruang rawat inap.`,
    (c) => `Penunggu pasien maksimal 1 orang dengan kartu penunggu, ${c.call}.`,
    (c) => `Parkir pengunjung ada di gedung parkir sebelah timur, ${c.call}.`,
  ],
  komplain: [
    (c) =>
      `Mohon maaf atas ketidaknyamanannya ${c.call}. Keluhan sudah kami teruskan ke kepala ruangan.`,
    (c) => `Terima kasih atas masukannya ${c.call}, kami akan segera menindaklanjuti.`,
    (c) =>
      `Mohon maaf ${c.call}, antrian hari ini sedang padat. Petugas kami akan segera memanggil nomor ${c.queue}.`,
  ],
};

const CLOSING: Line[] = [
  (c) => `Sama-sama ${c.call}, semoga lekas sembuh 🙏`,
  (c) => `Sama-sama ${c.call}. Ada lagi yang bisa kami bantu?`,
  () => `Terima kasih telah menghubungi RS Sehat.`,
  (c) => `Baik ${c.call}, kami tunggu kedatangannya.`,
];

/** Rare lines, for searches that should find few messages. */
const RARE: Line[] = [
  () => `Apakah ada layanan vaksin rabies untuk gigitan anjing?`,
  () => `Mau tanya soal layanan hemodialisa malam hari`,
  () => `Apakah tersedia pemeriksaan audiometri untuk anak?`,
];

/** Captions of what patients send as images, and staff as documents. */
const IMAGE_CAPTIONS: Line[] = [
  () => "Foto kartu BPJS saya",
  () => "Ini surat rujukannya",
  () => "Foto KTP untuk pendaftaran",
  () => "Resep dari dokter kemarin",
];
const DOCUMENT_CAPTIONS: Line[] = [
  (c) => `Hasil laboratorium ${c.test} atas nama ${c.name}`,
  (c) => `Surat kontrol ${c.poli}`,
  () => "Daftar tarif pemeriksaan laboratorium",
];

/** One message of a demo conversation. */
export interface DemoMessage {
  direction: MessageDirection;
  type: "text" | "image" | "document";
  body: string;
  /** Milliseconds after the message before it (0 for the first). */
  gapMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * `count` messages between a patient (`name`) and the hospital about
 * `topic`, oldest first: exchanges of a question or two and an answer, a
 * thank-you, new questions days later.
 */
export function demoConversation(
  random: Random,
  name: string,
  topic: Topic,
  count: number,
): DemoMessage[] {
  const [doctor, poli] = pick(random, DOCTORS);
  const c: Ctx = {
    random,
    name,
    call: salutation(random, name),
    doctor,
    poli,
    day: pick(random, DAYS),
    hour: pick(random, HOURS),
    test: pick(random, LAB_TESTS),
    ward: pick(random, WARDS),
    rm: String(100000 + Math.floor(random() * 900000)).padStart(8, "0"),
    queue: 1 + Math.floor(random() * 80),
  };
  const out: DemoMessage[] = [];
  let current = topic;
  const add = (
    direction: MessageDirection,
    body: string,
    gapMs: number,
    type: DemoMessage["type"],
  ) => {
    if (out.length < count) out.push({ direction, type, body, gapMs: out.length ? gapMs : 0 });
  };
  while (out.length < count) {
    // A new exchange: days later for a later visit, minutes later within one.
    const gap = out.length === 0
      ? 0
      : random() < 0.3
      ? DAY + random() * 20 * DAY
      : 5 * MINUTE + random() * 3 * HOUR;
    if (random() < 0.001) add("in", pick(random, RARE)(c), gap, "text");
    else add("in", pick(random, ASK[current])(c), gap, "text");
    if (random() < 0.35) add("in", pick(random, MORE)(c), 10_000 + random() * 90_000, "text");
    if (random() < 0.04) {
      add("in", pick(random, IMAGE_CAPTIONS)(c), 20_000 + random() * 60_000, "image");
    }
    // Staff answer within minutes in office hours, hours otherwise.
    const wait = random() < 0.8 ? MINUTE + random() * 20 * MINUTE : HOUR + random() * 6 * HOUR;
    add("out", pick(random, ANSWER[current])(c), wait, "text");
    if (current === "lab" && random() < 0.3) {
      add("out", pick(random, DOCUMENT_CAPTIONS)(c), 30_000 + random() * 60_000, "document");
    }
    if (random() < 0.6) {
      add("in", pick(random, THANKS), MINUTE + random() * 30 * MINUTE, "text");
      if (random() < 0.5) {
        add("out", pick(random, CLOSING)(c), MINUTE + random() * 10 * MINUTE, "text");
      }
    }
    // The next exchange is often about something else.
    if (random() < 0.4) current = pickTopic(random);
    if (random() < 0.3) c.day = pick(random, DAYS);
  }
  return out;
}

/** Why a demo message failed: what Kabar records for such failures. */
export const FAILURE_REASONS: readonly string[] = [
  "the number is not on WhatsApp",
  "the channel was disconnected; retries used up",
  "the recipient blocked this number",
];

/** An Indonesian mobile number (E.164 digits, no `+`) for index `n`, distinct for each `n`. */
export function demoPhone(n: number): string {
  // 21 operator prefixes × 10^8 numbers; `n` is spread over them by a multiplier coprime with it.
  const prefixes = [
    "811",
    "812",
    "813",
    "821",
    "822",
    "823",
    "851",
    "852",
    "853",
    "855",
    "856",
    "857",
    "858",
    "877",
    "878",
    "881",
    "882",
    "895",
    "896",
    "897",
    "898",
  ];
  const space = prefixes.length * 100_000_000;
  const k = Number((BigInt(n) * 1_000_000_007n + 12_345_678n) % BigInt(space));
  return `62${prefixes[Math.floor(k / 100_000_000)]}${String(k % 100_000_000).padStart(8, "0")}`;
}
