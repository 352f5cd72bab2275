"""Map the many ways people write a block's label onto a canvas block."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import NamedTuple

from canvascli.errors import BlockNotFoundError, quoted
from canvascli.model import ALL_BLOCKS, AnyBlock, Block, LeanBlock
from canvascli.read.label_text import bracketed, without_brackets
from canvascli.read.label_text import normalise_label as normalise_label
from canvascli.read.patterns import deferred
from canvascli.words import fold_name

# One row per block; each name is written naturally and normalised on load,
# so adding a language is adding words to a row.
SYNONYMS: dict[AnyBlock, tuple[str, ...]] = {
    Block.CUSTOMER_SEGMENTS: (
        "Customer Segments",
        "Customer Segment",
        "Customers",
        "Target Customers",
        "Target Segments",
        "Market Segments",
        "Segments",
        "Segmentos de clientes",
        "Segmento de clientes",
        "Segmentos de cliente",
        "Segmentos de mercado",
        "Segmento de mercado",
        "Segments de clientèle",
        "Segments de clients",
        "Segments clients",
        "Kundensegmente",
        "Kundensegment",
        "Zielgruppen",
        "客户细分",
        "客戶細分",
        "客户群体",
        "客戶群體",
        "目标客户",
        "目標客戶",
        "顧客セグメント",
        "顧客層",
        "ターゲット顧客",
        "カスタマーセグメント",
        "고객 세그먼트",
        "고객 세분화",
        "고객군",
        "목표 고객",
        "타깃 고객",
        "Потребительские сегменты",
        "Клиентские сегменты",
        "Сегменты клиентов",
        "Сегмент клиентов",
        "Сегменты потребителей",
        "Целевая аудитория",
        "Целевые сегменты",
        "Потребители",
        "Клиенты",
        "Segmenti di clientela",
        "Segmento di clientela",
        "Segmenti di clienti",
        "Segmenti clienti",
        "Segmenti di mercato",
        "Clienti",
        "Klantsegmenten",
        "Klantsegment",
        "Klantensegmenten",
        "Doelgroepen",
        "Doelgroep",
        "Klanten",
        "Müşteri Segmentleri",
        "Müşteri Segmenti",
        "Müşteri Kitlesi",
        "Hedef Kitle",
        "Hedef Müşteriler",
        "Müşteri Grupları",
        "Segmenty klientów",
        "Segment klientów",
        "Grupy docelowe",
        "Grupa docelowa",
        "Klienci",
        "Segmen Pelanggan",
        "Segmen Konsumen",
        "Segmen Pasar",
        "Target Pelanggan",
        "Kundsegment",
        "Kundsegmenten",
        "Kundsegmenter",
        "Kundesegmenter",
        "Kundesegment",
        "Målgrupper",
        "Målgrupp",
        "Målgrupperne",
        "Kunder",
        "Phân khúc khách hàng",
        "Phân đoạn khách hàng",
        "Khách hàng mục tiêu",
        "Сегменти клієнтів",
        "Сегмент клієнтів",
        "Споживчі сегменти",
        "Сегменти споживачів",
        "Цільова аудиторія",
        "Клієнти",
        "Zákaznické segmenty",
        "Zákaznický segment",
        "Segmenty zákazníků",
        "Cílové skupiny",
        "Zákazníci",
    ),
    Block.VALUE_PROPOSITIONS: (
        "Value Propositions",
        "Value Proposition",
        "Unique Value Proposition",
        "Unique Value Propositions",
        "UVP",
        "Value Prop",
        "Unique Value Prop",
        "Value",
        "Propuesta de valor",
        "Propuestas de valor",
        "Propuesta única de valor",
        "Propuesta de valor única",
        "Proposition de valeur",
        "Propositions de valeur",
        "Proposition de valeur unique",
        "Wertangebot",
        "Wertangebote",
        "Wertversprechen",
        "Nutzenversprechen",
        "Alleinstellungsmerkmal",
        "Einzigartiges Wertversprechen",
        "Einzigartiges Nutzenversprechen",
        "Einzigartiges Wertangebot",
        "Proposta de valor",
        "Propostas de valor",
        "Proposta de valor única",
        "价值主张",
        "價值主張",
        "独特价值主张",
        "獨特價值主張",
        "独特卖点",
        "獨特賣點",
        "価値提案",
        "提供価値",
        "バリュープロポジション",
        "独自の価値提案",
        "독특한 가치 제안",
        "가치 제안",
        "고유 가치 제안",
        "고유한 가치 제안",
        "Ценностное предложение",
        "Ценностные предложения",
        "Уникальное ценностное предложение",
        "Уникальное торговое предложение",
        "Proposta di valore",
        "Proposte di valore",
        "Proposta di valore unica",
        "Proposta unica di valore",
        "Waardepropositie",
        "Waardeproposities",
        "Unieke waardepropositie",
        "Waardebelofte",
        "Değer Önerisi",
        "Değer Önerileri",
        "Değer Teklifi",
        "Benzersiz Değer Önerisi",
        "Eşsiz Değer Önerisi",
        "Propozycja wartości",
        "Propozycje wartości",
        "Unikalna propozycja wartości",
        "Proposisi Nilai",
        "Nilai Proposisi",
        "Proposisi Nilai Unik",
        "Värdeerbjudande",
        "Värdeerbjudanden",
        "Värdeerbjudandet",
        "Unikt värdeerbjudande",
        "Verdiforslag",
        "Verditilbud",
        "Unikt verdiforslag",
        "Værdiforslag",
        "Værditilbud",
        "Unikt værdiforslag",
        "Giá trị đề xuất",
        "Đề xuất giá trị",
        "Tuyên bố giá trị",
        "Giải pháp giá trị",
        "Đề xuất giá trị độc nhất",
        "Đề xuất giá trị độc đáo",
        "Ціннісна пропозиція",
        "Ціннісні пропозиції",
        "Пропозиція цінності",
        "Унікальна ціннісна пропозиція",
        "Hodnotová nabídka",
        "Hodnotové nabídky",
        "Nabídka hodnoty",
        "Unikátní hodnotová nabídka",
        "Jedinečná hodnotová nabídka",
    ),
    Block.CHANNELS: (
        "Channels",
        "Distribution Channels",
        "Marketing Channels",
        "Sales Channels",
        "Canales",
        "Canales de distribución",
        "Canales de comunicación",
        "Canaux",
        "Canaux de distribution",
        "Kanäle",
        "Vertriebskanäle",
        "Canais",
        "Canais de distribuição",
        "渠道通路",
        "渠道",
        "通路",
        "チャネル",
        "チャンネル",
        "販路",
        "流通チャネル",
        "채널",
        "유통 채널",
        "판매 채널",
        "Каналы",
        "Каналы сбыта",
        "Канал сбыта",
        "Каналы распространения",
        "Каналы продаж",
        "Canali",
        "Canali di distribuzione",
        "Canali di vendita",
        "Kanalen",
        "Distributiekanalen",
        "Verkoopkanalen",
        "Kanallar",
        "Dağıtım Kanalları",
        "Satış Kanalları",
        "Kanały",
        "Kanały dystrybucji",
        "Kanały dotarcia",
        "Kanały sprzedaży",
        "Saluran",
        "Saluran Distribusi",
        "Saluran Pemasaran",
        "Kanaler",
        "Kanalerne",
        "Distributionskanaler",
        "Försäljningskanaler",
        "Salgskanaler",
        "Distribusjonskanaler",
        "Kênh phân phối",
        "Kênh",
        "Các kênh",
        "Kênh truyền thông",
        "Kênh bán hàng",
        "Канали",
        "Канали збуту",
        "Канали розподілу",
        "Канали продажу",
        "Kanály",
        "Distribuční kanály",
        "Prodejní kanály",
    ),
    Block.CUSTOMER_RELATIONSHIPS: (
        "Customer Relationships",
        "Customer Relationship",
        "Customer Relations",
        "Relationships",
        "Relaciones con clientes",
        "Relaciones con los clientes",
        "Relación con clientes",
        "Relación con el cliente",
        "Relación con los clientes",
        "Relations clients",
        "Relation client",
        "Relations avec les clients",
        "Kundenbeziehungen",
        "Kundenbeziehung",
        "Relacionamento com clientes",
        "Relacionamento com o cliente",
        "Relacionamento com os clientes",
        "Relacionamento",
        "客户关系",
        "客戶關係",
        "顧客との関係",
        "顧客との関係性",
        "顧客関係",
        "カスタマーリレーションシップ",
        "고객 관계",
        "Взаимоотношения с клиентами",
        "Отношения с клиентами",
        "Взаимоотношения с потребителями",
        "Отношения с потребителями",
        "Отношения с заказчиками",
        "Отношения с заказчиком",
        "Relazioni con i clienti",
        "Relazione con i clienti",
        "Relazioni con la clientela",
        "Rapporti con i clienti",
        "Klantrelaties",
        "Klantrelatie",
        "Klantenrelaties",
        "Relaties met klanten",
        "Müşteri İlişkileri",
        "Müşteri İlişkisi",
        "Relacje z klientami",
        "Relacje z klientem",
        "Hubungan Pelanggan",
        "Hubungan dengan Pelanggan",
        "Kundrelationer",
        "Kundrelation",
        "Kundrelationen",
        "Kunderelasjoner",
        "Kunderelasjon",
        "Kunderelationer",
        "Kunderelation",
        "Quan hệ khách hàng",
        "Mối quan hệ khách hàng",
        "Quan hệ với khách hàng",
        "Взаємовідносини з клієнтами",
        "Відносини з клієнтами",
        "Взаємини з клієнтами",
        "Стосунки з клієнтами",
        "Vztahy se zákazníky",
        "Vztahy k zákazníkům",
        "Zákaznické vztahy",
    ),
    Block.REVENUE_STREAMS: (
        "Revenue Streams",
        "Revenue Stream",
        "Revenue Model",
        "Revenue",
        "Revenues",
        "Fuentes de ingresos",
        "Fuentes de ingreso",
        "Flujos de ingresos",
        "Flujo de ingresos",
        "Sources de revenus",
        "Flux de revenus",
        "Einnahmequellen",
        "Erlösquellen",
        "Einnahmeströme",
        "Erlösströme",
        "Einnahmen",
        "Fontes de receita",
        "Fontes de renda",
        "Fluxos de receita",
        "收入来源",
        "收入來源",
        "收益流",
        "收入流",
        "营收来源",
        "營收來源",
        "収益の流れ",
        "収益源",
        "収入の流れ",
        "レベニューストリーム",
        "수익원",
        "수익 흐름",
        "수익 구조",
        "수익 모델",
        "Потоки доходов",
        "Потоки поступления доходов",
        "Источники дохода",
        "Источники доходов",
        "Потоки выручки",
        "Доходы",
        "Flussi di ricavi",
        "Flussi di ricavo",
        "Flussi di entrate",
        "Fonti di ricavo",
        "Fonti di ricavi",
        "Ricavi",
        "Inkomstenstromen",
        "Inkomstenstroom",
        "Opbrengstenstromen",
        "Inkomstenbronnen",
        "Verdienmodel",
        "Inkomsten",
        "Gelir Akışları",
        "Gelir Akışı",
        "Gelir Kaynakları",
        "Gelir Akımları",
        "Gelir Modeli",
        "Gelirler",
        "Strumienie przychodów",
        "Strumienie przychodu",
        "Źródła przychodów",
        "Źródła przychodu",
        "Przychody",
        "Arus Pendapatan",
        "Aliran Pendapatan",
        "Sumber Pendapatan",
        "Pendapatan",
        "Intäktsströmmar",
        "Intäktsflöden",
        "Intäktskällor",
        "Intäkter",
        "Inntektsstrømmer",
        "Inntektskilder",
        "Inntekter",
        "Indtægtsstrømme",
        "Indtægtskilder",
        "Indtægter",
        "Dòng doanh thu",
        "Nguồn doanh thu",
        "Dòng thu nhập",
        "Doanh thu",
        "Потоки доходів",
        "Потоки надходжень",
        "Джерела доходів",
        "Доходи",
        "Zdroje příjmů",
        "Toky příjmů",
        "Příjmy",
    ),
    Block.KEY_RESOURCES: (
        "Key Resources",
        "Key Resource",
        "Resources",
        "Recursos clave",
        "Recursos claves",
        "Ressources clés",
        "Schlüsselressourcen",
        "Wichtige Ressourcen",
        "Recursos principais",
        "Recursos chave",
        "核心资源",
        "核心資源",
        "关键资源",
        "關鍵資源",
        "主要なリソース",
        "主要リソース",
        "キーリソース",
        "リソース",
        "経営資源",
        "핵심 자원",
        "핵심 리소스",
        "주요 자원",
        "Ключевые ресурсы",
        "Ресурсы",
        "Risorse chiave",
        "Risorse",
        "Kernmiddelen",
        "Belangrijkste middelen",
        "Sleutelmiddelen",
        "Middelen",
        "Anahtar Kaynaklar",
        "Temel Kaynaklar",
        "Kilit Kaynaklar",
        "Ana Kaynaklar",
        "Kaynaklar",
        "Kluczowe zasoby",
        "Zasoby",
        "Sumber Daya Utama",
        "Sumber Daya Kunci",
        "Sumber Daya",
        "Nyckelresurser",
        "Nyckelresurs",
        "Resurser",
        "Nøkkelressurser",
        "Nøgleressourcer",
        "Ressurser",
        "Ressourcer",
        "Nguồn lực chính",
        "Nguồn lực chủ chốt",
        "Nguồn lực then chốt",
        "Nguồn lực",
        "Ключові ресурси",
        "Ресурси",
        "Klíčové zdroje",
        "Hlavní zdroje",
        "Zdroje",
    ),
    Block.KEY_ACTIVITIES: (
        "Key Activities",
        "Key Activity",
        "Activities",
        "Actividades clave",
        "Actividades claves",
        "Activités clés",
        "Schlüsselaktivitäten",
        "Wichtige Aktivitäten",
        "Atividades principais",
        "Atividades chave",
        "关键业务",
        "關鍵業務",
        "关键活动",
        "關鍵活動",
        "主要活動",
        "主要な活動",
        "キーアクティビティ",
        "主な活動",
        "핵심 활동",
        "주요 활동",
        "Ключевые виды деятельности",
        "Ключевая деятельность",
        "Ключевые действия",
        "Ключевые активности",
        "Attività chiave",
        "Attività",
        "Kernactiviteiten",
        "Belangrijkste activiteiten",
        "Sleutelactiviteiten",
        "Activiteiten",
        "Anahtar Aktiviteler",
        "Temel Aktiviteler",
        "Kilit Aktiviteler",
        "Anahtar Faaliyetler",
        "Temel Faaliyetler",
        "Faaliyetler",
        "Kluczowe działania",
        "Kluczowe aktywności",
        "Działania",
        "Aktivitas Utama",
        "Aktivitas Kunci",
        "Kegiatan Utama",
        "Kegiatan Kunci",
        "Nyckelaktiviteter",
        "Nyckelaktivitet",
        "Nøkkelaktiviteter",
        "Nøgleaktiviteter",
        "Aktiviteter",
        "Hoạt động chính",
        "Hoạt động chủ chốt",
        "Hoạt động then chốt",
        "Hoạt động",
        "Ключові види діяльності",
        "Ключова діяльність",
        "Ключові активності",
        "Ключові дії",
        "Klíčové činnosti",
        "Klíčové aktivity",
        "Hlavní činnosti",
        "Činnosti",
    ),
    Block.KEY_PARTNERS: (
        "Key Partners",
        "Key Partner",
        "Key Partnerships",
        "Key Partnership",
        "Partner Network",
        "Partners",
        "Partnerships",
        "Socios clave",
        "Socios claves",
        "Asociaciones clave",
        "Aliados clave",
        "Alianzas clave",
        "Partenaires clés",
        "Schlüsselpartner",
        "Schlüsselpartnerschaften",
        "Wichtige Partner",
        "Socios estratégicos",
        "Parceiros estratégicos",
        "Parcerias principais",
        "Parcerias chave",
        "Parceiros chave",
        "Parceiros principais",
        "重要合作",
        "重要伙伴",
        "重要夥伴",
        "关键合作伙伴",
        "關鍵合作夥伴",
        "合作伙伴",
        "合作夥伴",
        "キーパートナー",
        "主要パートナー",
        "主要なパートナー",
        "パートナー",
        "핵심 파트너",
        "핵심 파트너십",
        "주요 파트너",
        "Ключевые партнеры",
        "Ключевые партнёры",
        "Ключевые партнерства",
        "Партнеры",
        "Партнёры",
        "Partner chiave",
        "Partnership chiave",
        "Kernpartners",
        "Belangrijkste partners",
        "Sleutelpartners",
        "Anahtar Ortaklar",
        "Anahtar Ortaklıklar",
        "Temel Ortaklar",
        "Temel Ortaklıklar",
        "Kilit Ortaklar",
        "Kilit Ortaklıklar",
        "İş Ortakları",
        "Kluczowi partnerzy",
        "Kluczowe partnerstwa",
        "Partnerzy",
        "Kemitraan Utama",
        "Kemitraan Kunci",
        "Mitra Utama",
        "Mitra Kunci",
        "Nyckelpartners",
        "Nyckelpartner",
        "Nyckelpartnerskap",
        "Nøkkelpartnere",
        "Nøkkelpartnerskap",
        "Nøglepartnere",
        "Nøglepartnerskaber",
        "Partnere",
        "Đối tác chính",
        "Đối tác chủ chốt",
        "Đối tác then chốt",
        "Đối tác",
        "Ключові партнери",
        "Ключове партнерство",
        "Партнери",
        "Klíčoví partneři",
        "Klíčová partnerství",
        "Klíčové partnery",
        "Partneři",
    ),
    Block.COST_STRUCTURE: (
        "Cost Structure",
        "Cost Structures",
        "Costs",
        "Cost",
        "Key Costs",
        "Main Costs",
        "Estructura de costos",
        "Estructura de costes",
        "Structure de coûts",
        "Structure des coûts",
        "Kostenstruktur",
        "Kosten",
        "Estrutura de custos",
        "成本结构",
        "成本結構",
        "コスト構造",
        "コスト構成",
        "コスト",
        "비용 구조",
        "Структура издержек",
        "Структура расходов",
        "Структура затрат",
        "Издержки",
        "Расходы",
        "Затраты",
        "Struttura dei costi",
        "Struttura di costo",
        "Costi",
        "Kostenstructuur",
        "Maliyet Yapısı",
        "Maliyetler",
        "Struktura kosztów",
        "Koszty",
        "Struktur Biaya",
        "Biaya",
        "Kostnadsstruktur",
        "Kostnadsstrukturen",
        "Kostnader",
        "Omkostningsstruktur",
        "Omkostninger",
        "Cơ cấu chi phí",
        "Cấu trúc chi phí",
        "Chi phí",
        "Структура витрат",
        "Структура видатків",
        "Витрати",
        "Struktura nákladů",
        "Nákladová struktura",
        "Náklady",
    ),
    LeanBlock.PROBLEM: (
        "Problem",
        "Problems",
        "Problema",
        "Problemas",
        "Problème",
        "Problèmes",
        "问题",
        "問題",
        "課題",
        "문제",
        "문제점",
        "Проблема",
        "Проблемы",
        "Problemi",
        "Probleem",
        "Problemen",
        "Sorun",
        "Sorunlar",
        "Problemler",
        "Problemy",
        "Masalah",
        "Permasalahan",
        "Problemet",
        "Problemer",
        "Vấn đề",
        "Проблеми",
        "Problém",
        "Problémy",
    ),
    LeanBlock.SOLUTION: (
        "Solution",
        "Solutions",
        "Solución",
        "Soluciones",
        "Lösung",
        "Solução",
        "解决方案",
        "解決方案",
        "ソリューション",
        "解決策",
        "해결책",
        "솔루션",
        "해결 방안",
        "Решение",
        "Решения",
        "Soluzione",
        "Soluzioni",
        "Oplossing",
        "Oplossingen",
        "Lösungen",
        "Soluções",
        "Çözüm",
        "Çözümler",
        "Rozwiązanie",
        "Rozwiązania",
        "Solusi",
        "Lösning",
        "Lösningar",
        "Løsning",
        "Løsninger",
        "Giải pháp",
        "Рішення",
        "Řešení",
    ),
    LeanBlock.UNFAIR_ADVANTAGE: (
        "Unfair Advantage",
        "Ventaja injusta",
        "Ventaja diferencial",
        "Avantage déloyal",
        "Avantage concurrentiel",
        "Unfairer Vorteil",
        "Vantagem injusta",
        "门槛优势",
        "門檻優勢",
        "竞争壁垒",
        "競爭壁壘",
        "Avantage injuste",
        "圧倒的な優位性",
        "不公平な優位性",
        "圧倒的優位性",
        "不公平优势",
        "不公平優勢",
        "Ventaja competitiva",
        "Vantagem competitiva",
        "アンフェアアドバンテージ",
        "압도적 우위",
        "불공정한 이점",
        "불공정한 우위",
        "언페어 어드밴티지",
        "Скрытое преимущество",
        "Нечестное преимущество",
        "Неоспоримое преимущество",
        "Vantaggio sleale",
        "Vantaggio ingiusto",
        "Oneerlijk voordeel",
        "Haksız Avantaj",
        "Haksız Rekabet Avantajı",
        "Rekabet Avantajı",
        "Nieuczciwa przewaga",
        "Przewaga konkurencyjna",
        "Keunggulan Tidak Adil",
        "Keunggulan yang Tidak Adil",
        "Keunggulan Kompetitif",
        "Orättvis fördel",
        "Orättvisa fördelar",
        "Konkurrensfördel",
        "Urettferdig fordel",
        "Konkurransefortrinn",
        "Uretfærdig fordel",
        "Konkurrencefordel",
        "Lợi thế cạnh tranh",
        "Lợi thế không công bằng",
        "Lợi thế độc quyền",
        "Несправедлива перевага",
        "Конкурентна перевага",
        "Прихована перевага",
        "Nefér výhoda",
        "Neférová výhoda",
        "Konkurenční výhoda",
    ),
    LeanBlock.KEY_METRICS: (
        "Key Metrics",
        "Key Metric",
        "Métricas clave",
        "Indicadores clave",
        "Métriques clés",
        "Indicateurs clés",
        "Schlüsselkennzahlen",
        "Métricas chave",
        "Métricas-chave",
        "关键指标",
        "關鍵指標",
        "Métricas claves",
        "Métricas principais",
        "主要指標",
        "主要な指標",
        "キーメトリクス",
        "핵심 지표",
        "주요 지표",
        "Ключевые метрики",
        "Ключевые показатели",
        "Metriche chiave",
        "Indicatori chiave",
        "Kernmetrieken",
        "Kerncijfers",
        "Belangrijkste metrics",
        "Temel Metrikler",
        "Anahtar Metrikler",
        "Kilit Metrikler",
        "Temel Göstergeler",
        "Anahtar Göstergeler",
        "Kluczowe wskaźniki",
        "Kluczowe metryki",
        "Metrik Utama",
        "Metrik Kunci",
        "Indikator Utama",
        "Nyckeltal",
        "Nyckelmått",
        "Nøkkeltall",
        "Nøgletal",
        "Chỉ số chính",
        "Chỉ số then chốt",
        "Chỉ số đo lường chính",
        "Ключові метрики",
        "Ключові показники",
        "Klíčové metriky",
        "Klíčové ukazatele",
    ),
}

# Names that also head many documents that are no canvas ("## Resources" in a README,
# "## Problem" in a pitch): alone, they count only in a document that is clearly a canvas.
AMBIGUOUS_ALONE: tuple[str, ...] = (
    "Customers",
    "Segments",
    "Value",
    "Relationships",
    "Relacionamento",
    "Revenue",
    "Revenues",
    "Resources",
    "Activities",
    "Partners",
    "Partnerships",
    "Costs",
    "Cost",
    "Einnahmen",
    "Kosten",
    "合作伙伴",
    "合作夥伴",
    "リソース",
    "パートナー",
    "コスト",
    "Клиенты",
    "Потребители",
    "Ресурсы",
    "Партнеры",
    "Партнёры",
    "Доходы",
    "Расходы",
    "Издержки",
    "Затраты",
    "Clienti",
    "Risorse",
    "Attività",
    "Ricavi",
    "Costi",
    "Klanten",
    "Middelen",
    "Activiteiten",
    "Inkomsten",
    "Kaynaklar",
    "Faaliyetler",
    "Gelirler",
    "Maliyetler",
    "Klienci",
    "Zasoby",
    "Działania",
    "Partnerzy",
    "Przychody",
    "Koszty",
    "Pendapatan",
    "Sumber Daya",
    "Biaya",
    "Kunder",
    "Intäkter",
    "Inntekter",
    "Indtægter",
    "Resurser",
    "Ressurser",
    "Ressourcer",
    "Aktiviteter",
    "Partnere",
    "Kostnader",
    "Omkostninger",
    "Kênh",
    "Các kênh",
    "Doanh thu",
    "Nguồn lực",
    "Hoạt động",
    "Đối tác",
    "Chi phí",
    "Клієнти",
    "Доходи",
    "Ресурси",
    "Партнери",
    "Витрати",
    "Zákazníci",
    "Příjmy",
    "Zdroje",
    "Činnosti",
    "Partneři",
    "Náklady",
    *SYNONYMS[LeanBlock.PROBLEM],
    *SYNONYMS[LeanBlock.SOLUTION],
)

# Plain-language ways of naming a block ("Money coming in" for Revenue Streams). They are
# read only as headings standing where a clear canvas's other block headings stand, and
# `canvas check` shows each one, so a wrong guess is visible.
PARAPHRASES: dict[AnyBlock, tuple[str, ...]] = {
    Block.CUSTOMER_SEGMENTS: (
        "who we serve",
        "who we are for",
        "who it is for",
        "who buys",
        "who pays",
        "our buyers",
        "für wen",
        "para quién",
        "pour qui",
    ),
    Block.VALUE_PROPOSITIONS: (
        "what we offer",
        "what we promise",
        "why customers choose us",
        "why people buy",
        "why us",
        "our promise",
        "was wir bieten",
        "qué ofrecemos",
        "ce que nous offrons",
    ),
    Block.CHANNELS: (
        "how we reach",
        "reaching customers",
        "reaching our customers",
        "getting to customers",
        "route to market",
        "routes to market",
        "how customers find us",
        "how people find us",
        "how we sell",
        "where we sell",
        "go to market",
        "cómo llegamos",
        "wie wir kunden erreichen",
    ),
    Block.CUSTOMER_RELATIONSHIPS: (
        "how we keep customers",
        "keeping customers",
        "how we look after customers",
        "looking after customers",
        "staying in touch",
        "how we stay in touch",
        "customer care",
        "customer support",
    ),
    Block.REVENUE_STREAMS: (
        "money coming in",
        "money in",
        "how we make money",
        "how we earn",
        "how we get paid",
        "where the money comes from",
        "income",
        "income sources",
        "sales and income",
        "wie wir geld verdienen",
        "cómo ganamos dinero",
    ),
    Block.KEY_RESOURCES: (
        "what we need",
        "what we have",
        "what we own",
        "our assets",
        "assets",
        "was wir brauchen",
    ),
    Block.KEY_ACTIVITIES: (
        "what we do",
        "what we do every day",
        "day to day work",
        "core work",
        "was wir tun",
        "qué hacemos",
    ),
    Block.KEY_PARTNERS: (
        "who helps us",
        "who we work with",
        "who we rely on",
        "suppliers",
        "allies",
        "mit wem wir arbeiten",
    ),
    Block.COST_STRUCTURE: (
        "money going out",
        "money out",
        "where the money goes",
        "what it costs",
        "what we spend",
        "spending",
        "expenses",
        "outgoings",
        "running costs",
        "wofür wir geld ausgeben",
        "gastos",
    ),
    LeanBlock.PROBLEM: (
        "pain points",
        "the pain",
        "what hurts",
        "what is broken",
        "what goes wrong",
    ),
    LeanBlock.SOLUTION: (
        "how we fix it",
        "our fix",
        "our answer",
        "what we build",
    ),
    LeanBlock.UNFAIR_ADVANTAGE: (
        "unfair edge",
        "our edge",
        "competitive edge",
        "moat",
        "our moat",
        "what others cannot copy",
        "what nobody can copy",
        "hard to copy",
    ),
    LeanBlock.KEY_METRICS: (
        "what we measure",
        "numbers we watch",
        "the numbers we watch",
        "how we measure success",
        "how we know it works",
        "success measures",
    ),
}
# A paraphrase is a short phrase: a longer heading holding a cue is a sentence about it.
MAX_PARAPHRASE_WORDS = 7

# A label is short: a heading or cell that says more than this is content, whatever it says.
MAX_LABEL_CHARS = 80
MAX_LABEL_WORDS = 10

# Single words that open too many unrelated headings ("Customer journey") to match as a prefix.
_TOO_GENERIC_TO_PREFIX = frozenset({"customer", "value", "key"})
# Verbs that, right after a block's name, make a heading a sentence with the block for its
# subject ("Channels cost money", "Los canales son caros"), as normalised labels have them.
_VERBS_AFTER_A_SUBJECT = frozenset(
    {"are", "is", "was", "were", "need", "cost", "come", "matter", "make", "can", "should"}
    | {"must", "will", "don", "doesn", "aren", "isn", "drive", "depend", "decide", "keep"}
    | {"son", "es", "são", "é", "sont", "est", "sind", "ist", "sono", "è", "zijn"}
)
# Words that, right after a block's name, make a heading name a canvas of that block's own,
# another tool than the canvas ("Value Proposition Canvas"), as normalised labels have them.
_CANVAS_WORDS = frozenset({"canva", "canvas", "kanva", "kanvas"})
# Words that may open a label without changing what it names: "Our Customers", "The Problem".
_LEADING_FILLERS = frozenset({"the", "our", "my", "your", "their", "a", "an"})
# Words that rank what a label names, maybe with a count, without changing it: "Top 3
# Problems", as the Lean Canvas template prompts, "Main Partners", "Principales problemas".
_RANKING_WORDS = ("top", "main", "principal", "principales", "principais", "principaux")
_COUNT_WORDS = ("one", "two", "three", "four", "five", "ten", "tres", "três", "trois", "cinco")
_SEPARATORS = ("/", "|", "：", ":", " - ", " – ", " — ")
# Words that qualify a label without changing the block it names: "Customer Segment
# Hypothesis", "Kundensegment-Hypothese", "顧客セグメント仮説", "고객 세그먼트 가설".
_QUALIFIER_WORDS = frozenset(
    {
        "hypothesis",
        "hypotheses",
        "hypothese",
        "hypothesen",
        "hypothèse",
        "hipótesis",
        "hipótese",
        "ipotesi",
        "гипотеза",
        "гипотезы",
        "가설",
        "仮説",
        "假设",
        "假設",
    }
)


@lru_cache(maxsize=1)
def _ranking_words() -> frozenset[str]:
    return frozenset(normalise_label(word) for word in _RANKING_WORDS)


@lru_cache(maxsize=1)
def _count_words() -> frozenset[str]:
    return frozenset(normalise_label(word) for word in _COUNT_WORDS)


def _unranked(label: str) -> str | None:
    """A normalised label without the ranking words opening it ("top 3 problem" is
    "problem"), or None when none opens it."""
    first, _, rest = label.partition(" ")
    if first not in _ranking_words() or not rest:
        return None
    count, _, named = rest.partition(" ")
    if named and (count.isdigit() or count in _count_words()):
        return named
    return rest


@lru_cache(maxsize=1)
def _qualifiers() -> frozenset[str]:
    return frozenset(normalise_label(word) for word in _QUALIFIER_WORDS)


@lru_cache(maxsize=1)
def _qualifier_suffixes() -> tuple[str, ...]:
    """Qualifiers written straight after the label, as CJK text is: "顧客セグメント仮説"."""
    return tuple(word for word in _qualifiers() if not word.isascii())


def is_label_sized(text: str) -> bool:
    """Whether `text` is short enough to be a label rather than content."""
    return 0 < len(text) <= MAX_LABEL_CHARS and len(text.split()) <= MAX_LABEL_WORDS


class LabelMatch(NamedTuple):
    """The block a label names, and how sure that reading is."""

    block: AnyBlock
    # Named by a word from AMBIGUOUS_ALONE, which heads many documents that are no canvas.
    ambiguous: bool
    # Found only by a close spelling (a typo), not by a name in the table.
    fuzzy: bool


# A library's own names for blocks, as (label as written, block key) pairs, sorted: the
# `[synonyms]` of its config. Plain data, so that worker processes can be handed them.
Synonyms = tuple[tuple[str, str], ...]
NO_SYNONYMS: Synonyms = ()
BLOCKS_BY_KEY: dict[str, AnyBlock] = {block.key: block for block in ALL_BLOCKS}

# The synonyms of the post being read. Labels are read many calls deep in the reader, so
# `reading_with` sets them for the length of one read rather than every call passing them.
_synonyms: ContextVar[Synonyms] = ContextVar("synonyms", default=NO_SYNONYMS)

# How many different texts of one post are read with typo tolerance (`fuzzy`): the most any
# post read well asks for is about fifty, and each costs up to a millisecond more than an
# exact reading, so a post of 100,000 different label-like lines took minutes. Past it,
# texts are read by exact names alone, as headings past `FUZZY_HEADINGS` are.
FUZZY_TEXTS = 1000
# The texts of the post being read that were read with typo tolerance, from `reading_with`.
_fuzzy_texts: ContextVar[set[str] | None] = ContextVar("fuzzy_texts", default=None)


@contextmanager
def reading_with(synonyms: Synonyms) -> Iterator[None]:
    """Read labels with a library's own `synonyms` too, until the block ends: the labels
    of one post, whose typo tolerance covers its first `FUZZY_TEXTS` texts."""
    token = _synonyms.set(synonyms)
    texts = _fuzzy_texts.set(set())
    try:
        yield
    finally:
        _fuzzy_texts.reset(texts)
        _synonyms.reset(token)


@lru_cache(maxsize=4)
def _table(synonyms: Synonyms = NO_SYNONYMS) -> dict[str, AnyBlock]:
    """Every name a block is known by, normalised; a library's own names win over ours."""
    if not synonyms:
        return _built_in_table()
    own = {normalise_label(label): BLOCKS_BY_KEY[key] for label, key in synonyms}
    return {**_built_in_table(), **own}


# Apart from `_table`'s cache, where `_table()` and `_table(())` are two entries.
@lru_cache(maxsize=1)
def _built_in_table() -> dict[str, AnyBlock]:
    table: dict[str, AnyBlock] = {}
    for block, names in SYNONYMS.items():
        for name in names:
            table.setdefault(normalise_label(name), block)
    return table


# How alike (difflib's ratio) a label must be to a table name to be read as a typo of it.
_TYPO_CUTOFF = 0.86


def _close_matches(text: str, names: list[str], cutoff: float) -> list[str]:
    """The name most like `text` at `cutoff` or above, if any (difflib's ratio)."""
    import difflib

    return difflib.get_close_matches(text, names, n=1, cutoff=cutoff)


def _script(text: str) -> str:
    """The script a typo stays within: a misspelt Latin label is near Latin names only."""
    if _runs_together(text):
        return "cjk"
    return "cyrillic" if _has_letter_in(_CYRILLIC, text) else "latin"


@lru_cache(maxsize=16)
def _names_by_length(script: str, synonyms: Synonyms) -> dict[int, list[str]]:
    by_length: dict[int, list[str]] = {}
    for name in _table(synonyms):
        if _script(name) == script:
            by_length.setdefault(len(name), []).append(name)
    return by_length


@lru_cache(maxsize=256)
def _names_near_in_length(
    size: int, script: str, synonyms: Synonyms
) -> list[tuple[str, frozenset[str]]]:
    """The table names whose script and length alone do not rule out a typo match, each
    with its set of characters.

    The same bound as difflib's `real_quick_ratio`, applied once per length instead of
    once per name and label: titles that are no label are many, and all miss. Names
    written in Han, kana or Hangul are a few characters long, too short for a typo to
    leave them recognisable, so none is near.
    """
    if script == "cjk":
        return []
    return [
        (name, frozenset(name))
        for length, names in _names_by_length(script, synonyms).items()
        if 2.0 * min(size, length) / (size + length) >= _TYPO_CUTOFF
        for name in names
    ]


def _within_reach(text: str, names: list[tuple[str, frozenset[str]]]) -> list[str]:
    """The names with enough characters in common with `text` for a typo match.

    A looser bound than difflib's `quick_ratio` (a character of the text that the name
    lacks can match nothing in it), told by set operations instead of counting each
    character in Python: most titles share too few with every name of their length.
    """
    counts = Counter(text)
    characters = counts.keys()
    size = len(text)
    reach = []
    for name, name_characters in names:
        shared = size - sum(counts[character] for character in characters - name_characters)
        if 2.0 * shared / (size + len(name)) >= _TYPO_CUTOFF:
            reach.append(name)
    return reach


@lru_cache(maxsize=1)
def _ambiguous() -> frozenset[str]:
    return frozenset(normalise_label(name) for name in AMBIGUOUS_ALONE)


@lru_cache(maxsize=4)
def _compact_table(synonyms: Synonyms) -> dict[str, str]:
    """Table names without their spaces, for labels written as one word or hyphen-joined."""
    return {name.replace(" ", ""): name for name in _table(synonyms)}


# Han, kana and Hangul: scripts whose words run together, so a name is found inside a label.
# Ranges of code points rather than a pattern: a pattern over them takes milliseconds to
# compile, more than reading a post takes.
_RUN_TOGETHER = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
)
_CYRILLIC = ((0x0400, 0x04FF),)


def _has_letter_in(ranges: tuple[tuple[int, int], ...], text: str) -> bool:
    # The text's highest letter rules out most texts at once: a Latin or Cyrillic one
    # holds no letter as high as the scripts that run words together.
    if text.isascii() or ord(max(text)) < ranges[0][0]:
        return False
    return any(first <= ord(character) <= last for character in text for first, last in ranges)


def _runs_together(text: str) -> bool:
    return _has_letter_in(_RUN_TOGETHER, text)


@lru_cache(maxsize=4)
def _unspaced_names(synonyms: Synonyms) -> list[tuple[str, str]]:
    """The CJK table names without spaces, longest first: "顧客との関係" before "顧客"."""
    names = [(name.replace(" ", ""), name) for name in _table(synonyms) if _runs_together(name)]
    return sorted(names, key=lambda pair: -len(pair[0]))


def _lookup(label: str, strict: bool, synonyms: Synonyms) -> str | None:
    """The table name that `label` is, begins with (unless strict), or contains if not Latin."""
    table = _table(synonyms)
    if label in table:
        return label
    compact = label.replace(" ", "")
    compact_table = _compact_table(synonyms)
    if compact in compact_table:
        return compact_table[compact]
    if synonyms:
        own = _unaccented_synonyms(synonyms).get(without_accents(label))
        if own is not None:
            return own
    if strict:
        return None
    words = label.split()
    # Longest leading phrase first, so "key resource and skill" finds "key resource"; none
    # longer than the longest name, which a heading of thousands of words would try.
    for size in range(min(len(words) - 1, _most_words(synonyms)), 0, -1):
        head = " ".join(words[:size])
        if head in table and head not in _TOO_GENERIC_TO_PREFIX:
            # "Customer segments are harder than they look" is a sentence about the block,
            # and a "Value Proposition Canvas" is a canvas of its own.
            following = words[size]
            if following in _VERBS_AFTER_A_SUBJECT or following in _CANVAS_WORDS:
                return None
            return head
    if _runs_together(label):
        for unspaced, name in _unspaced_names(synonyms):
            if unspaced in compact:
                return name
    return None


@lru_cache(maxsize=4)
def _most_words(synonyms: Synonyms) -> int:
    """The words of the table's longest name."""
    return max((len(name.split()) for name in _table(synonyms)), default=0)


_ACCENTS = deferred("[\u0300-\u036f]")


def without_accents(text: str) -> str:
    """`text` without the accents of Latin, Greek and Cyrillic letters: "clientèle" is
    "clientele"."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _ACCENTS.sub("", unicodedata.normalize("NFD", text)))


@lru_cache(maxsize=4)
def _unaccented_synonyms(synonyms: Synonyms) -> dict[str, str]:
    """A library's own names without accents, each to its name in the table: the built-in
    names list every spelling people use, and a library's own names are matched however
    their accents are written."""
    names = (normalise_label(label) for label, _key in synonyms)
    return {without_accents(name): name for name in names}


def _candidates(text: str, strict: bool) -> list[str]:
    """The label itself, then the label without parentheses, then what they enclose."""
    folded = unicodedata.normalize("NFKC", text).strip().rstrip(":").strip()
    candidates = [normalise_label(folded)]
    outside = without_brackets(folded)
    if outside != folded:
        candidates.append(normalise_label(outside))
        if not strict:
            enclosed = bracketed(folded)
            candidates.extend(normalise_label(inner) for inner in enclosed)
    if not strict:
        for separator in _SEPARATORS:
            if separator in folded:
                candidates.extend(normalise_label(part) for part in folded.split(separator))
    candidates.extend(_unqualified(candidate) for candidate in list(candidates))
    for candidate in list(candidates):
        first, _, rest = candidate.partition(" ")
        if first in _LEADING_FILLERS and rest:
            candidates.append(rest)
        unranked = _unranked(rest if first in _LEADING_FILLERS else candidate)
        if unranked:
            candidates.append(unranked)
    return list(dict.fromkeys(candidate for candidate in candidates if candidate))


def _unqualified(label: str) -> str:
    """A normalised label without a qualifying word such as "hypothesis" before or after it."""
    words = label.split()
    qualifiers = _qualifiers()
    if len(words) > 1 and words[-1] in qualifiers:
        words = words[:-1]
    elif len(words) > 1 and words[0] in qualifiers:
        words = words[1:]
    elif words and words[-1].endswith(_qualifier_suffixes()):
        last = words[-1]
        suffix = next(word for word in _qualifier_suffixes() if last.endswith(word))
        words[-1] = last[: -len(suffix)]
    return " ".join(word for word in words if word)


def read_label(text: str, strict: bool = False, *, fuzzy: bool = True) -> LabelMatch | None:
    """What a heading or label names, or None; with the synonyms of `reading_with` too.

    `strict` accepts only a whole name from the table (after normalising, with or
    without a parenthesis), for text that might as well be prose: no leading phrase,
    no part after a separator, no close spelling. `fuzzy` (when not strict) also accepts
    near misses ("Cusomer Segments"), at many times the cost of an exact match.
    """
    if fuzzy and not strict:
        texts = _fuzzy_texts.get()
        if texts is not None and text not in texts:
            if len(texts) < FUZZY_TEXTS:
                texts.add(text)
            else:
                fuzzy = False
    return _read_label(text, strict, fuzzy, _synonyms.get())


@lru_cache(maxsize=8192)
def _read_label(text: str, strict: bool, fuzzy: bool, synonyms: Synonyms) -> LabelMatch | None:
    table = _table(synonyms)
    candidates = _candidates(text, strict)
    for candidate in candidates:
        name = _lookup(candidate, strict, synonyms)
        if name is not None:
            return LabelMatch(table[name], name in _ambiguous(), fuzzy=False)
    if strict or not fuzzy:
        return None
    for candidate in candidates:
        near = _names_near_in_length(len(candidate), _script(candidate), synonyms)
        reach = _within_reach(candidate, near) if near else []
        # Nearly every title is near no name at all: difflib is not even imported for it.
        close = _close_matches(candidate, reach, _TYPO_CUTOFF) if reach else []
        if close:
            return LabelMatch(table[close[0]], close[0] in _ambiguous(), fuzzy=True)
    return None


def is_known_name(text: str) -> bool:
    """Whether a label is a block's name as the table has it, in any language read.

    Numbering, emoji, case, plural, spacing, hyphens, a leading "Our", a gloss in
    parentheses and the same name in two languages ("渠道 / Channels") do not matter;
    a qualifier ("hypothesis"), a longer phrase or a misspelling does: those labels are
    read by a guess worth showing. The synonyms of `reading_with` are known names too.
    """
    return _is_known_name(text, _synonyms.get())


@lru_cache(maxsize=4096)
def _is_known_name(text: str, synonyms: Synonyms) -> bool:
    folded = unicodedata.normalize("NFKC", text).strip().rstrip(":").strip()
    outside = without_brackets(folded)
    parts = [outside]
    for separator in ("/", "|"):
        parts = [piece for part in parts for piece in part.split(separator)]
    named = {_known_block(part, synonyms) for part in parts}
    return _known_block(folded, synonyms) is not None or (len(named) == 1 and None not in named)


def _known_block(label: str, synonyms: Synonyms) -> AnyBlock | None:
    candidate = normalise_label(label)
    first, _, rest = candidate.partition(" ")
    table, compact_table = _table(synonyms), _compact_table(synonyms)
    for name in (candidate, rest if first in _LEADING_FILLERS else ""):
        compact = name.replace(" ", "")
        if name in table:
            return table[name]
        if compact in compact_table:
            return table[compact_table[compact]]
        own = _unaccented_synonyms(synonyms).get(without_accents(name)) if synonyms else None
        if own is not None:
            return table[own]
    return None


def match_label(text: str, *, fuzzy: bool = True) -> AnyBlock | None:
    """The Business Model Canvas or Lean Canvas block a heading or label names, or None.

    `fuzzy` also accepts near misses ("Cusomer Segments"), at many times the cost.
    """
    found = read_label(text, fuzzy=fuzzy)
    return found.block if found else None


def match_block(text: str, *, fuzzy: bool = True) -> Block | None:
    """The one of the nine blocks a heading or label names, or None when it names none."""
    found = match_label(text, fuzzy=fuzzy)
    return found if isinstance(found, Block) else None


@lru_cache(maxsize=4)
def _hint_names(synonyms: Synonyms) -> dict[str, AnyBlock]:
    """The names a did-you-mean hint may offer: not the single words of AMBIGUOUS_ALONE,
    which are near too many unrelated words ("Competitors" is not "Costi")."""
    return {name: block for name, block in _table(synonyms).items() if name not in _ambiguous()}


# A heading is offered a block's name only when it is that name misspelt: at most this
# share of its characters (of the longer of the two) edited, and at least one edit allowed.
_MISSPELLING_SHARE = 0.3


def suggest_label(text: str) -> AnyBlock | None:
    """The block of either kind whose name a label misspells, for a did-you-mean hint."""
    return _suggest_label(text, _synonyms.get())


@lru_cache(maxsize=4096)
def _suggest_label(text: str, synonyms: Synonyms) -> AnyBlock | None:
    return _misspelt(normalise_label(text), _hint_names(synonyms))


def suggest_block(text: str) -> Block | None:
    """The one of the nine blocks whose name a label misspells, for a did-you-mean hint."""
    return _suggest_block(text, _synonyms.get())


@lru_cache(maxsize=4096)
def _suggest_block(text: str, synonyms: Synonyms) -> Block | None:
    found = _misspelt(normalise_label(text), _nine_hint_names(synonyms))
    return found if isinstance(found, Block) else None


@lru_cache(maxsize=4)
def _nine_hint_names(synonyms: Synonyms) -> dict[str, AnyBlock]:
    return {
        name: block for name, block in _hint_names(synonyms).items() if isinstance(block, Block)
    }


def _misspelt(label: str, names: dict[str, AnyBlock]) -> AnyBlock | None:
    """The block of the name nearest to `label` by edits, if it is near enough to be a typo:
    "Costumer Segmets" is Customer Segments misspelt, "Final note" is no block's name."""
    if not label:
        return None
    best: AnyBlock | None = None
    fewest = len(label) + 1
    for name, block in names.items():
        allowed = max(1, int(_MISSPELLING_SHARE * max(len(label), len(name))))
        edits = edit_distance(label, name, min(allowed, fewest - 1))
        if edits is not None and edits < fewest:
            best, fewest = block, edits
    return best


def edit_distance(first: str, second: str, limit: int) -> int | None:
    """Insertions, deletions, substitutions and swaps of neighbours that turn one text into
    the other, or None when more than `limit` are needed."""
    if abs(len(first) - len(second)) > limit:
        return None
    before: list[int] | None = None
    previous = list(range(len(second) + 1))
    for row, left in enumerate(first, 1):
        current = [row]
        for column, right in enumerate(second, 1):
            cost = 0 if left == right else 1
            value = min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost)
            if (
                before is not None
                and row > 1
                and column > 1
                and left == second[column - 2]
                and first[row - 2] == right
            ):
                value = min(value, before[column - 2] + 1)
            current.append(value)
        if min(current) > limit:
            return None
        before, previous = previous, current
    return previous[-1] if previous[-1] <= limit else None


def block_names(block: AnyBlock) -> tuple[str, ...]:
    """Every name a user may type for a block: key, title and aliases."""
    return (block.key, fold_name(block.title), *block.aliases)


def find_block(name: str) -> Block:
    """A block by key, title, alias or unique prefix of any of those."""
    wanted = fold_name(name).replace("_", "-")
    spaced = wanted.replace("-", " ")
    for block in Block:
        if wanted in block_names(block) or spaced == fold_name(block.title):
            return block
    prefixed = {
        block
        for block in Block
        if wanted and any(candidate.startswith(wanted) for candidate in block_names(block))
    }
    if len(prefixed) == 1:
        return prefixed.pop()
    if len(prefixed) > 1:
        keys = sorted(block.key for block in prefixed)
        raise BlockNotFoundError(
            f"block {quoted(name)} is ambiguous: {', '.join(keys)}", name, keys
        )
    matched = match_block(name)
    if matched is not None:
        return matched
    every = [key for block in Block for key in block_names(block)]
    close = _close_matches(wanted, every, 0.6)
    hint = f"; did you mean '{find_block(close[0]).key}'?" if close else ""
    raise BlockNotFoundError(
        f"no block {quoted(name)}{hint} (see 'canvas sections' for the nine blocks)", name, close
    )


def find_any_block(name: str) -> AnyBlock:
    """Like `find_block`, also finding the Lean Canvas blocks (`problem`, `key-metrics`...).

    A Lean Canvas block's own name wins; a prefix finds one only when it finds none
    of the nine, so `key` stays ambiguous among the nine and `key-m` is Key Metrics.
    """
    wanted = fold_name(name).replace("_", "-")
    for block in LeanBlock:
        if wanted in block_names(block) or wanted.replace("-", " ") == fold_name(block.title):
            return block

    def starts(blocks: Iterable[AnyBlock]) -> list[AnyBlock]:
        return [
            block
            for block in blocks
            if wanted and any(candidate.startswith(wanted) for candidate in block_names(block))
        ]

    prefixed = starts(LeanBlock)
    if len(prefixed) == 1 and not starts(Block):
        return prefixed[0]
    try:
        return find_block(name)
    except BlockNotFoundError:
        matched = match_label(name)
        if matched is None:
            raise
        return matched


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[tuple[str, ...], AnyBlock], ...]:
    """Each cue as its normalised words, longest first, so "our moat" wins over "moat"."""
    cues = [
        (tuple(normalise_label(phrase).split()), block)
        for block, phrases in PARAPHRASES.items()
        for phrase in phrases
    ]
    return tuple(sorted(cues, key=lambda cue: -len(cue[0])))


@lru_cache(maxsize=4096)
def read_paraphrase(text: str) -> AnyBlock | None:
    """The block a short label names in plain words ("How we reach our customers"), or None.

    A cue must be whole words of the label, and the label a short phrase. Callers decide
    where such a guess may count: it is weaker than any name in `SYNONYMS`.
    """
    folded = without_brackets(unicodedata.normalize("NFKC", text)).strip().rstrip(":?")
    words = tuple(normalise_label(folded).split())
    if not words or len(words) > MAX_PARAPHRASE_WORDS:
        return None
    for cue, block in _cues():
        for start in range(len(words) - len(cue) + 1):
            if words[start : start + len(cue)] == cue:
                return block
    return None


# Sections a write-up holds besides its canvas, in the languages read: a heading naming one
# is kept as an extra section and noted only on request (CV208), never taken for a block
# someone misspelt. A name that is also a block's (a Lean Canvas "Metrics") is left out.
OTHER_SECTIONS: tuple[str, ...] = (
    # English
    "Note",
    "Notes",
    "Final note",
    "Final notes",
    "Side note",
    "Summary",
    "Executive summary",
    "TL;DR",
    "Conclusion",
    "Conclusions",
    "Final thoughts",
    "Closing thoughts",
    "Introduction",
    "Intro",
    "Overview",
    "Background",
    "About",
    "About us",
    "About the author",
    "Metrics",
    "Financials",
    "Financial projections",
    "Financial forecast",
    "Financial plan",
    "Projections",
    "Table of contents",
    "Contents",
    "References",
    "Sources",
    "Bibliography",
    "Further reading",
    "See also",
    "Links",
    "Appendix",
    "Appendices",
    "Acknowledgements",
    "Acknowledgments",
    "Credits",
    "Next steps",
    "Next step",
    "Takeaways",
    "Key takeaways",
    "Lessons learned",
    "Lessons learnt",
    "Open questions",
    "FAQ",
    "Frequently asked questions",
    "Updates",
    "Update",
    "Changelog",
    "Disclaimer",
    "License",
    "Licence",
    "Roadmap",
    "Comments",
    "Related posts",
    "Team",
    "Our team",
    "The team",
    "Getting started",
    "Installation",
    "Configuration",
    "Usage",
    "Contributing",
    # Spanish
    "Notas",
    "Nota",
    "Resumen",
    "Resumen ejecutivo",
    "Conclusión",
    "Conclusiones",
    "Introducción",
    "Índice",
    "Referencias",
    "Fuentes",
    "Apéndice",
    "Anexo",
    "Agradecimientos",
    "Próximos pasos",
    "Métricas",
    "Proyecciones financieras",
    # French
    "Remarques",
    "Résumé",
    "Synthèse",
    "Sommaire",
    "Table des matières",
    "Références",
    "Annexe",
    "Remerciements",
    "Prochaines étapes",
    "Métriques",
    "Prévisions financières",
    "Projections financières",
    # German
    "Notizen",
    "Anmerkungen",
    "Zusammenfassung",
    "Fazit",
    "Einleitung",
    "Inhaltsverzeichnis",
    "Inhalt",
    "Quellen",
    "Literatur",
    "Anhang",
    "Danksagung",
    "Nächste Schritte",
    "Kennzahlen",
    "Finanzplan",
    "Finanzprognose",
    # Portuguese
    "Resumo",
    "Conclusão",
    "Introdução",
    "Sumário",
    "Referências",
    "Fontes",
    "Apêndice",
    "Próximos passos",
    "Projeções financeiras",
    # Italian
    "Riepilogo",
    "Conclusione",
    "Conclusioni",
    "Introduzione",
    "Indice",
    "Riferimenti",
    "Fonti",
    "Appendice",
    "Ringraziamenti",
    "Prossimi passi",
    "Metriche",
    "Proiezioni finanziarie",
    # Dutch
    "Notities",
    "Opmerkingen",
    "Samenvatting",
    "Conclusie",
    "Inleiding",
    "Inhoudsopgave",
    "Bronnen",
    "Bijlage",
    "Dankwoord",
    "Volgende stappen",
    "Financiële prognose",
    # Russian
    "Примечания",
    "Заметки",
    "Резюме",
    "Итоги",
    "Заключение",
    "Выводы",
    "Введение",
    "Содержание",
    "Оглавление",
    "Источники",
    "Литература",
    "Приложение",
    "Благодарности",
    "Следующие шаги",
    "Метрики",
    "Финансовый прогноз",
    # Chinese
    "备注",
    "注释",
    "总结",
    "總結",
    "摘要",
    "结论",
    "結論",
    "结语",
    "引言",
    "简介",
    "目录",
    "目錄",
    "参考资料",
    "参考文献",
    "附录",
    "附錄",
    "致谢",
    "下一步",
    "财务预测",
    "財務預測",
    # Japanese
    "メモ",
    "備考",
    "まとめ",
    "要約",
    "はじめに",
    "目次",
    "付録",
    "謝辞",
    "次のステップ",
    "財務予測",
    # Korean
    "메모",
    "요약",
    "결론",
    "소개",
    "서론",
    "목차",
    "참고 문헌",
    "참고문헌",
    "부록",
    "감사의 글",
    "다음 단계",
    "재무 예측",
    # Turkish
    "Notlar",
    "Özet",
    "Sonuç",
    "Giriş",
    "Ekip",
    "Kaynakça",
    "Ekler",
    "Sonraki adımlar",
    # Polish
    "Uwagi",
    "Podsumowanie",
    "Wnioski",
    "Wstęp",
    "Zespół",
    "Bibliografia",
    "Załączniki",
    "Następne kroki",
    # Indonesian
    "Catatan",
    "Ringkasan",
    "Kesimpulan",
    "Penutup",
    "Pendahuluan",
    "Tim",
    "Daftar pustaka",
    "Lampiran",
    "Langkah selanjutnya",
    # Swedish
    "Anteckningar",
    "Sammanfattning",
    "Slutsats",
    "Inledning",
    "Källor",
    "Bilagor",
    "Nästa steg",
    # Norwegian and Danish
    "Notater",
    "Noter",
    "Oppsummering",
    "Opsummering",
    "Konklusjon",
    "Konklusion",
    "Innledning",
    "Indledning",
    "Kilder",
    "Vedlegg",
    "Bilag",
    "Neste steg",
    "Næste skridt",
    # Vietnamese
    "Ghi chú",
    "Giới thiệu",
    "Kết luận",
    "Tổng kết",
    "Tóm tắt",
    "Tài liệu tham khảo",
    "Phụ lục",
    # Ukrainian
    "Нотатки",
    "Вступ",
    "Висновки",
    "Висновок",
    "Підсумки",
    "Джерела",
    "Додатки",
    # Czech
    "Poznámky",
    "Úvod",
    "Závěr",
    "Shrnutí",
    "Literatura",
    "Přílohy",
    "Další kroky",
)


@lru_cache(maxsize=4)
def _other_sections(synonyms: Synonyms) -> frozenset[str]:
    return frozenset(normalise_label(name) for name in OTHER_SECTIONS) - _table(synonyms).keys()


def is_other_section(text: str) -> bool:
    """Whether a heading names a section of its own ("Notes", "Financial projections",
    "Anhang"), not a canvas block (nor one of the synonyms of `reading_with`)."""
    return normalise_label(text) in _other_sections(_synonyms.get())
