"""Generate seeds/services.json: the sample directory for Newham and West Cornwall.

The listing text is written for Signpost (no copied listings); organisation names are
invented. Each template below is a kind of service that exists in most areas; it is
instantiated in several towns with a real postcode of that town (picked from the
Code-Point Open table) and varied opening times, capacity, languages and costs. A fixed
random seed keeps the output, and so the ids, stable: run it again and nothing changes.

    .venv/bin/python seeds/build_seeds.py
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
POSTCODES = HERE.parent / "instance" / "postcodes.sqlite"
TODAY = date(2026, 11, 1)
NAMESPACE = uuid.UUID("6f1c1f38-2a55-4c57-9a0e-6a2a3f4b9c11")

# (town, district, area name used in names, local authority)
NEWHAM = [
    ("Stratford", "E15", "Newham"),
    ("Forest Gate", "E7", "Newham"),
    ("East Ham", "E6", "Newham"),
    ("Plaistow", "E13", "Newham"),
    ("Manor Park", "E12", "Newham"),
    ("Canning Town", "E16", "Newham"),
]
CORNWALL = [
    ("Penzance", "TR18", "West Cornwall"),
    ("St Ives", "TR26", "West Cornwall"),
    ("Camborne", "TR14", "West Cornwall"),
    ("Redruth", "TR15", "West Cornwall"),
    ("Helston", "TR13", "West Cornwall"),
    ("Hayle", "TR27", "West Cornwall"),
    ("Truro", "TR1", "West Cornwall"),
    ("Falmouth", "TR11", "West Cornwall"),
    ("St Just", "TR19", "West Cornwall"),
]
STREETS = [
    "High Street",
    "Church Road",
    "Market Place",
    "Station Road",
    "Victoria Road",
    "Chapel Street",
    "The Broadway",
    "Green Lane",
    "Park Road",
    "Fore Street",
]
VENUES = [
    "Community Centre",
    "Library",
    "Methodist Hall",
    "Neighbourhood Hub",
    "Family Centre",
    "Leisure Centre",
    "Resource Centre",
    "Church Hall",
    "Old School Rooms",
]
NEWHAM_LANGUAGES = [
    ["en"],
    ["en", "bn"],
    ["en", "ur"],
    ["en", "pl"],
    ["en", "lt"],
    ["en", "so"],
    ["en", "ro"],
    ["en", "bn", "ur"],
    ["en", "pa"],
    ["en", "ta"],
]
CORNWALL_LANGUAGES = [["en"], ["en"], ["en"], ["en", "pl"], ["en", "kw"], ["en", "pt"]]
LANGUAGE_NAMES = {
    "en": "English",
    "bn": "Bengali",
    "ur": "Urdu",
    "pl": "Polish",
    "lt": "Lithuanian",
    "so": "Somali",
    "ro": "Romanian",
    "pa": "Punjabi",
    "ta": "Tamil",
    "kw": "Cornish",
    "pt": "Portuguese",
}

# Each template: name ({town} is filled in), organisation name pattern, categories, and text.
# Optional keys: min_age, max_age, eligibility, exclusions, access ("self"/"professional"/
# "either"), modes, fee (text, else free), home_visit, evening, weekend.
TEMPLATES = [
    # Loneliness and befriending
    dict(
        name="{town} Friendship Club",
        org="{town} Good Neighbours",
        cats=["loneliness", "older-people"],
        text="A warm weekly get-together for anyone who feels on their own. Tea, cake, a chat and a quiz, with volunteers who make sure newcomers are welcomed and introduced. Many members first came because they felt isolated after retiring or moving to the area.",
        exclusions="Not a care service: members need to get to the hall themselves or with our volunteer drivers.",
    ),
    dict(
        name="{town} Telephone Befriending",
        org="{town} Good Neighbours",
        cats=["loneliness", "older-people"],
        text="A trained volunteer rings you for a friendly chat at the same time each week. Companionship for people who are housebound, isolated or simply have nobody to talk to. We match you with someone who shares your interests.",
        modes=["telephone"],
        access="either",
        min_age=50,
        eligibility="Adults over 50 who feel lonely or cut off.",
    ),
    dict(
        name="Chatty Cafe at {venue}",
        org="{town} Together",
        cats=["loneliness", "mental-wellbeing"],
        text="A 'chatter and natter' table in a friendly cafe where anyone can sit down and talk to others. No booking, no pressure: come for ten minutes or the whole afternoon. Helps people rebuild confidence and make new friends in the neighbourhood.",
        access="self",
    ),
    # Bereavement
    dict(
        name="{town} Bereavement Support Group",
        org="{town} Hospice Community Team",
        cats=["bereavement", "mental-wellbeing"],
        text="A small group for people grieving the death of a husband, wife, partner, parent or friend. Meet others who understand, share memories and learn ways to cope with grief at your own pace. Facilitated by trained bereavement volunteers.",
        min_age=18,
        exclusions="Not counselling for complicated grief; we can refer you on.",
        evening=True,
    ),
    dict(
        name="Walk and Talk after Loss, {town}",
        org="{town} Hospice Community Team",
        cats=["bereavement", "physical-activity"],
        text="A gentle walk once a fortnight for bereaved people, finishing with a hot drink. Walking side by side makes it easier to talk about loss, and the fresh air helps with sleep and low mood.",
        access="self",
    ),
    dict(
        name="{town} Bereavement Counselling",
        org="{area} Cruse Partners",
        cats=["bereavement", "mental-wellbeing"],
        text="One-to-one sessions with a trained bereavement counsellor for adults whose grief feels overwhelming months after a death. Up to eight sessions, face to face or by phone.",
        modes=["in_person", "telephone"],
        access="either",
        min_age=18,
        fee="Free; donations welcome",
    ),
    # Mental wellbeing
    dict(
        name="{town} Wellbeing Course",
        org="{area} Mind Partnership",
        cats=["mental-wellbeing"],
        text="A six-week course on managing stress, worry and low mood: practical tools, sleep, breathing techniques and building a routine. Friendly small groups; you do not need a diagnosis.",
        min_age=18,
        exclusions="Not a crisis service. In a crisis call NHS 111 and choose the mental health option.",
        evening=True,
    ),
    dict(
        name="{town} Peer Support Circle",
        org="{area} Mind Partnership",
        cats=["mental-wellbeing", "loneliness"],
        text="A drop-in run by people with lived experience of anxiety and depression. Talk, listen and share what helps, in a non-judgemental space. Tea, biscuits and a quiet room if you need a break.",
        access="self",
        min_age=18,
    ),
    dict(
        name="Men's Shed, {town}",
        org="{town} Men's Shed",
        cats=["mental-wellbeing", "loneliness", "older-people"],
        text="A workshop where men (and anyone who wants to join) make and mend things side by side: woodwork, repairing bikes, building benches for the community. Shoulder to shoulder conversation helps with isolation and low mood.",
        access="self",
        min_age=18,
        fee="£2 a session towards materials",
    ),
    # Physical activity
    dict(
        name="{town} Health Walks",
        org="{area} Walking for Health",
        cats=["physical-activity", "loneliness"],
        text="Free, friendly, short walks led by trained walk leaders, on flat paths at an easy pace. Ideal if you have not been active for a while, are recovering from illness or want to meet people.",
        access="self",
    ),
    dict(
        name="Gentle Exercise and Chair-Based Fitness, {town}",
        org="{town} Active Ageing",
        cats=["physical-activity", "older-people", "arthritis-chronic-pain"],
        text="Seated and standing exercise to music for people with limited mobility, joint pain, back problems or a fear of falling. Builds strength, balance and confidence. Instructors are qualified in exercise after illness.",
        min_age=55,
        fee="£3 a class, first class free",
    ),
    dict(
        name="{town} Exercise on Referral",
        org="{town} Leisure Trust",
        cats=["physical-activity", "long-term-conditions"],
        text="A 12-week supported gym and swimming programme for adults with a health condition such as high blood pressure, weight problems, back pain or mild depression. An instructor builds a plan with you.",
        access="professional",
        min_age=16,
        fee="£20 for 12 weeks; free if you receive benefits",
        eligibility="Referral from a GP, nurse, physiotherapist or link worker.",
    ),
    dict(
        name="{town} Community Football and Fitness",
        org="{town} Sports Foundation",
        cats=["physical-activity", "young-adults"],
        text="Weekly football, boxing fitness and circuits for young people and adults, with coaches who also offer mentoring and signposting. All abilities, kit provided.",
        min_age=16,
        max_age=30,
        access="self",
        evening=True,
    ),
    # Arts and music
    dict(
        name="{town} Community Choir",
        org="{town} Arts for Health",
        cats=["arts-music", "loneliness"],
        text="A welcoming choir with no auditions and no need to read music. Singing together lifts the mood and helps breathing; we sing pop, folk and songs from the shows.",
        access="self",
        fee="£2 a week, pay what you can",
        evening=True,
    ),
    dict(
        name="Creative Wellbeing Workshops, {town}",
        org="{town} Arts for Health",
        cats=["arts-music", "mental-wellbeing"],
        text="Painting, printmaking, pottery and creative writing with professional artists, for people experiencing stress, anxiety or isolation. No experience needed; all materials provided.",
        min_age=18,
    ),
    dict(
        name="{town} Knit and Natter",
        org="{town} Library Service",
        cats=["arts-music", "loneliness", "older-people"],
        text="Knitting, crochet and sewing group at the library. Bring a project or learn from scratch with wool we provide. A relaxed way to meet people.",
        access="self",
    ),
    # Gardening and nature
    dict(
        name="{town} Community Garden",
        org="{town} Growing Together",
        cats=["gardening-nature", "mental-wellbeing", "food"],
        text="Grow vegetables, fruit and flowers alongside others in a shared garden. Volunteers of all abilities welcome, with raised beds for wheelchair users. Time outdoors and seasonal produce to take home.",
        access="self",
    ),
    dict(
        name="Green Health Conservation Volunteers, {town}",
        org="{area} Wildlife Volunteers",
        cats=["gardening-nature", "physical-activity", "employment-volunteering"],
        text="Practical conservation tasks in local parks, woods and coast paths: hedge laying, path clearing, beach cleans. Fresh air, exercise and the satisfaction of caring for nature. Transport from town available.",
        min_age=16,
    ),
    dict(
        name="{town} Therapeutic Allotment",
        org="{town} Growing Together",
        cats=["gardening-nature", "mental-wellbeing"],
        text="A supported allotment project for adults recovering from mental ill health or long-term illness. Small groups, a horticultural therapist and a polytunnel so we garden in all weathers.",
        access="professional",
        min_age=18,
        eligibility="Referral from a health or social care worker.",
    ),
    # Debt and money
    dict(
        name="{town} Debt Advice",
        org="{area} Citizens Advice Partners",
        cats=["debt-money", "welfare-benefits"],
        text="Free, confidential money advice from qualified debt advisers. We help with rent and council tax arrears, credit cards, payday loans, bailiffs and energy bills, and can arrange breathing space and debt relief orders.",
        modes=["in_person", "telephone"],
        min_age=18,
    ),
    dict(
        name="Money Matters Drop-in, {town}",
        org="{town} Community Money Project",
        cats=["debt-money"],
        text="Bring your bills and letters and get help to understand them, make a budget and talk to creditors. Also help to switch energy tariffs and apply for grants and hardship funds.",
        access="self",
    ),
    dict(
        name="{town} Budgeting and Fuel Poverty Service",
        org="{area} Warm Homes",
        cats=["debt-money", "housing"],
        text="Advice for people struggling to heat their home or pay energy bills: grants for boilers and insulation, the Warm Home Discount, help with energy debt and prepayment meters. Home visits available.",
        modes=["in_person", "telephone", "home_visit"],
        access="either",
    ),
    # Welfare benefits
    dict(
        name="{town} Benefits Advice",
        org="{area} Citizens Advice Partners",
        cats=["welfare-benefits", "debt-money"],
        text="Help to check what benefits you can claim and to fill in forms: Universal Credit, PIP, Attendance Allowance, Pension Credit, Carer's Allowance. We also help with mandatory reconsiderations and appeals.",
        modes=["in_person", "telephone"],
    ),
    dict(
        name="Benefits Form Filling Service, {town}",
        org="{town} Disability Advice Centre",
        cats=["welfare-benefits", "long-term-conditions"],
        text="Appointments with trained volunteers to complete PIP, ESA and Attendance Allowance forms, especially for people with long-term illness or disability. Home visits for people who cannot travel.",
        modes=["in_person", "home_visit"],
        access="either",
    ),
    # Housing
    dict(
        name="{town} Housing Advice",
        org="{area} Housing Action",
        cats=["housing"],
        text="Advice for people who are homeless or at risk of losing their home: eviction notices, rent arrears, disrepair and damp, disputes with landlords, and applying to the council's housing register.",
        modes=["in_person", "telephone"],
        min_age=16,
    ),
    dict(
        name="{town} Home Repairs and Adaptations",
        org="{town} Care and Repair",
        cats=["housing", "older-people"],
        text="Small repairs, grab rails, key safes and help to arrange adaptations so older and disabled people can stay safe and warm at home. A handyperson service at low cost.",
        modes=["home_visit"],
        min_age=60,
        fee="Labour free for people on benefits; otherwise £15 an hour",
    ),
    dict(
        name="{town} Day Centre for Homeless People",
        org="{area} Shelter Trust",
        cats=["housing", "food"],
        text="Breakfast, showers, laundry, a postal address and advice for people sleeping rough or in insecure housing. Nurses and housing workers visit weekly.",
        access="self",
        min_age=18,
        exclusions="Not emergency accommodation; we help you find a bed for the night.",
    ),
    # Food
    dict(
        name="{town} Food Bank",
        org="{town} Food Bank",
        cats=["food", "debt-money"],
        text="Three days of nutritionally balanced emergency food for people in crisis, with a friendly welcome and someone to talk to about what led to the crisis. Referral with a food voucher from an agency.",
        access="professional",
        exclusions="Not a source of regular groceries; we link you to longer-term help.",
    ),
    dict(
        name="{town} Community Pantry",
        org="{town} Community Kitchen",
        cats=["food", "debt-money"],
        text="A membership food club: pay a small weekly amount and choose groceries worth much more, including fresh fruit and vegetables. No referral needed for local residents.",
        access="self",
        fee="£3.50 a week membership",
    ),
    dict(
        name="{town} Community Lunch",
        org="{town} Community Kitchen",
        cats=["food", "loneliness", "older-people"],
        text="A hot two-course lunch served at shared tables every week. Good food and good company for anyone who does not want to eat alone.",
        access="self",
        fee="£3 a meal, free if you cannot pay",
    ),
    # Employment and volunteering
    dict(
        name="{town} Jobs and Skills Club",
        org="{town} Works",
        cats=["employment-volunteering", "digital-skills"],
        text="One-to-one help to find work: CVs, job searching online, interview practice and confidence building. Advisers understand health conditions and can support a gradual return to work.",
        min_age=16,
    ),
    dict(
        name="{town} Volunteer Centre",
        org="{area} Voluntary Action",
        cats=["employment-volunteering", "loneliness"],
        text="Find a volunteering role that suits you: charity shops, gardening, befriending, driving, admin. Volunteering builds skills and confidence and is a good way to meet people.",
        min_age=16,
        access="self",
    ),
    dict(
        name="Supported Employment Service, {town}",
        org="{area} Works Together",
        cats=["employment-volunteering", "mental-wellbeing"],
        text="Individual placement and support for people with mental health problems who want paid work. An employment specialist works alongside your care team.",
        access="professional",
        min_age=18,
    ),
    # Carers
    dict(
        name="{town} Carers Support",
        org="{area} Carers Service",
        cats=["carers"],
        text="Information, advice and emotional support for unpaid carers looking after a relative, partner or friend. Carers assessments, breaks, a carers emergency card and regular carers cafes.",
        modes=["in_person", "telephone"],
    ),
    dict(
        name="{town} Young Carers Project",
        org="{area} Carers Service",
        cats=["carers", "young-adults"],
        text="Activities, trips and someone to talk to for young people who help look after someone at home. Support in school and college too.",
        min_age=8,
        max_age=25,
    ),
    dict(
        name="{town} Carers Cafe",
        org="{area} Carers Service",
        cats=["carers", "loneliness"],
        text="A monthly cafe where carers can take a break, meet others in the same situation and talk to an adviser. Sitting service available so you can attend.",
        access="self",
    ),
    # Long-term conditions
    dict(
        name="{town} Diabetes Support Group",
        org="{area} Diabetes Network",
        cats=["diabetes", "long-term-conditions"],
        text="Meet other people living with type 1 or type 2 diabetes, share tips on food and blood sugar, and hear from specialist nurses and dietitians.",
        access="self",
        min_age=18,
        evening=True,
    ),
    dict(
        name="{town} Healthy Eating and Diabetes Prevention",
        org="{town} Healthy Living",
        cats=["diabetes", "food", "long-term-conditions"],
        text="A course on healthy cooking on a budget and being more active, for people told they are at risk of type 2 diabetes or who want to lose weight.",
        access="either",
        min_age=18,
    ),
    dict(
        name="{town} Breathe Easy Group",
        org="{area} Lung Health Network",
        cats=["respiratory", "long-term-conditions", "loneliness"],
        text="A support group for people with COPD, asthma or other lung conditions and their families: talks, singing for lung health and gentle exercise to help with breathlessness.",
        access="self",
    ),
    dict(
        name="Singing for Lung Health, {town}",
        org="{town} Arts for Health",
        cats=["respiratory", "arts-music"],
        text="Singing sessions designed for people who get short of breath, led by a trained practitioner. Improves breath control and posture, and is great fun.",
        access="self",
    ),
    dict(
        name="{town} Arthritis and Pain Self-Management",
        org="{area} Pain Network",
        cats=["arthritis-chronic-pain", "long-term-conditions", "physical-activity"],
        text="A six-week course for people living with arthritis, back pain, fibromyalgia or other long-term pain: pacing, gentle movement, sleep and managing flare-ups, with others who understand.",
        min_age=18,
        access="either",
    ),
    dict(
        name="{town} Warm Water Exercise",
        org="{town} Leisure Trust",
        cats=["arthritis-chronic-pain", "physical-activity"],
        text="Hydrotherapy-style exercise in a warm pool for people with stiff joints, arthritis or back problems. Supported changing and a hoist available.",
        fee="£4 a session",
    ),
    dict(
        name="{town} Stroke and Heart Club",
        org="{area} Heart and Stroke Support",
        cats=["long-term-conditions", "physical-activity"],
        text="Exercise, advice and friendship for people recovering from a stroke or heart attack and for their carers.",
        access="either",
    ),
    # Dementia
    dict(
        name="{town} Memory Cafe",
        org="{area} Dementia Friends",
        cats=["dementia", "carers", "older-people"],
        text="A relaxed monthly cafe for people living with dementia or memory problems and the people who care for them: music, reminiscence, advice and a friendly welcome.",
        access="self",
    ),
    dict(
        name="{town} Dementia Support Service",
        org="{area} Dementia Friends",
        cats=["dementia", "carers"],
        text="A dementia adviser who supports families after a diagnosis: understanding the condition, planning ahead, lasting power of attorney and finding local services.",
        modes=["in_person", "telephone", "home_visit"],
        access="either",
    ),
    # Substance misuse
    dict(
        name="{town} Alcohol and Drug Service",
        org="{area} Recovery Partnership",
        cats=["substance-misuse", "mental-wellbeing"],
        text="Confidential support for adults who want to cut down or stop drinking or using drugs: assessment, key workers, group programmes and support for families.",
        min_age=18,
        modes=["in_person", "telephone"],
        exclusions="Not a detox service; medical detox is arranged through your key worker.",
    ),
    dict(
        name="{town} Recovery Cafe",
        org="{area} Recovery Partnership",
        cats=["substance-misuse", "loneliness"],
        text="A sober social space run by people in recovery from addiction: food, activities and mutual aid meetings.",
        access="self",
        min_age=18,
        weekend=True,
    ),
    # Domestic abuse
    dict(
        name="{town} Domestic Abuse Outreach",
        org="{area} Safe Futures",
        cats=["domestic-abuse"],
        text="Confidential support for anyone experiencing domestic abuse from a partner or family member: safety planning, help with housing and legal options, and support groups. Appointments can be arranged at a safe place.",
        modes=["in_person", "telephone"],
        access="either",
        min_age=16,
        exclusions="Not an emergency service. If you are in danger call 999.",
    ),
    # Digital skills
    dict(
        name="{town} Digital Drop-in",
        org="{town} Library Service",
        cats=["digital-skills", "older-people"],
        text="Free help with computers, tablets and smartphones: email, video calls with family, online shopping, NHS App and booking GP appointments online. Devices to borrow.",
        access="self",
    ),
    dict(
        name="{town} Get Online Course",
        org="{area} Digital Inclusion Network",
        cats=["digital-skills", "employment-volunteering"],
        text="A beginners course on using the internet safely, applying for jobs and managing Universal Credit online. Small groups and patient tutors.",
        min_age=16,
    ),
    # English classes
    dict(
        name="{town} English Conversation Club",
        org="{town} Welcome Project",
        cats=["english-classes", "loneliness"],
        text="Practise speaking English in a relaxed group with friendly volunteers. For people new to the UK or anyone who wants more confidence. All levels welcome.",
        access="self",
        min_age=16,
    ),
    dict(
        name="{town} ESOL Classes",
        org="{area} Adult Learning",
        cats=["english-classes", "employment-volunteering"],
        text="English for speakers of other languages: accredited classes from entry level to level 2, with a free creche for some classes.",
        min_age=19,
        fee="Free if you receive benefits; otherwise £60 a term",
    ),
    # Older people
    dict(
        name="{town} Later Life Lunch Club",
        org="{area} Age Concern Partners",
        cats=["older-people", "loneliness", "food"],
        text="A weekly lunch club for older people with transport for those who cannot get out. Entertainment, hairdresser visits and a friendly chat.",
        min_age=60,
        fee="£5 including transport",
    ),
    dict(
        name="{town} Information and Advice for Older People",
        org="{area} Age Concern Partners",
        cats=["older-people", "welfare-benefits"],
        text="Advice on pensions, benefits, care at home and paying for care, with home visits for people who cannot get out.",
        min_age=60,
        modes=["in_person", "telephone", "home_visit"],
    ),
    # Young adults
    dict(
        name="{town} Youth Wellbeing Hub",
        org="{town} Youth Trust",
        cats=["young-adults", "mental-wellbeing"],
        text="Drop-in support for young people aged 16 to 25: someone to talk to about stress, relationships, money and housing, plus free activities and mentoring.",
        min_age=16,
        max_age=25,
        access="self",
        evening=True,
    ),
    dict(
        name="{town} Young Adults Training Programme",
        org="{town} Youth Trust",
        cats=["young-adults", "employment-volunteering"],
        text="A twelve-week programme of work experience, qualifications and personal development for young people who are not in education, employment or training.",
        min_age=16,
        max_age=24,
    ),
]

# Services with no building: national or online, by telephone or online only.
NATIONAL = [
    (
        "Silver Line Style Friendship Helpline",
        ["loneliness", "older-people"],
        ["telephone"],
        "A free, confidential helpline open day and night for older people who feel lonely or just want a chat. Also weekly friendship calls with a volunteer.",
    ),
    (
        "National Bereavement Helpline",
        ["bereavement"],
        ["telephone", "online"],
        "Talk to a trained volunteer after someone has died, by phone or webchat. Support for adults and young people.",
    ),
    (
        "Samaritan Style Listening Line",
        ["mental-wellbeing"],
        ["telephone", "online"],
        "Round-the-clock listening for anyone who is struggling to cope, feeling low, anxious or overwhelmed. You do not have to be suicidal to call.",
    ),
    (
        "National Debt Advice Line",
        ["debt-money"],
        ["telephone", "online"],
        "Free debt advice by phone and online: budgets, repayment plans, debt relief orders and bankruptcy, from qualified advisers.",
    ),
    (
        "Benefits Checker Online",
        ["welfare-benefits"],
        ["online"],
        "An online benefits calculator and guides to claiming Universal Credit, PIP and Pension Credit, with a helpline for questions.",
    ),
    (
        "National Housing Helpline",
        ["housing"],
        ["telephone", "online"],
        "Expert housing advice if you are homeless, facing eviction or have problems with your landlord.",
    ),
    (
        "Carers Advice Line",
        ["carers"],
        ["telephone", "online"],
        "Advice for unpaid carers on benefits, carers assessments, breaks and looking after yourself.",
    ),
    (
        "Diabetes Helpline",
        ["diabetes", "long-term-conditions"],
        ["telephone"],
        "Speak to trained advisers about living with diabetes, food, medication and emotional wellbeing.",
    ),
    (
        "Lung Health Helpline",
        ["respiratory", "long-term-conditions"],
        ["telephone"],
        "Nurses and advisers answer questions about COPD, asthma and breathlessness, and help you find a local breathe easy group.",
    ),
    (
        "Arthritis Helpline",
        ["arthritis-chronic-pain", "long-term-conditions"],
        ["telephone", "online"],
        "Information and support for people with arthritis and joint pain, including online exercise videos.",
    ),
    (
        "Dementia Connect Line",
        ["dementia", "carers"],
        ["telephone", "online"],
        "Support from dementia advisers for people affected by dementia, by phone or online.",
    ),
    (
        "National Alcohol Helpline",
        ["substance-misuse"],
        ["telephone"],
        "Free, confidential advice for anyone worried about their own or someone else's drinking.",
    ),
    (
        "National Domestic Abuse Helpline",
        ["domestic-abuse"],
        ["telephone", "online"],
        "A free 24-hour helpline for anyone experiencing domestic abuse. Trained advisers can help with safety planning and refuge places.",
    ),
    (
        "Learn My Way Style Online Courses",
        ["digital-skills"],
        ["online"],
        "Free online courses for beginners: using a computer, email, staying safe online and using the NHS App.",
    ),
    (
        "Online English Practice",
        ["english-classes"],
        ["online"],
        "Free online English lessons and conversation practice by video call with volunteer tutors.",
    ),
    (
        "Youth Text Support",
        ["young-adults", "mental-wellbeing"],
        ["online"],
        "Free, confidential text and webchat support for young people aged 11 to 25 who are struggling.",
    ),
    (
        "Online Walking Challenge",
        ["physical-activity"],
        ["online"],
        "Set a step goal, join a team online and get weekly tips to move more, at your own pace.",
    ),
    (
        "Men's Mental Health Line",
        ["mental-wellbeing"],
        ["telephone"],
        "A helpline for men who are feeling down or have hit a wall, open evenings and weekends.",
    ),
    (
        "National Food Support Finder",
        ["food", "debt-money"],
        ["online", "telephone"],
        "Find food banks, pantries and community meals, and advice on getting emergency help with food.",
    ),
    (
        "Volunteering Matchmaker Online",
        ["employment-volunteering"],
        ["online"],
        "Search thousands of volunteering roles, including roles you can do from home.",
    ),
]

DAY_PATTERNS = [
    ["MO"],
    ["TU"],
    ["WE"],
    ["TH"],
    ["FR"],
    ["MO", "WE"],
    ["TU", "TH"],
    ["MO", "TU", "WE", "TH", "FR"],
    ["SA"],
    ["WE", "FR"],
]
HOURS = [
    ("09:30", "12:00"),
    ("10:00", "12:30"),
    ("10:00", "15:00"),
    ("13:00", "15:30"),
    ("14:00", "16:00"),
    ("09:00", "17:00"),
]
EVENING = [("18:00", "20:00"), ("18:30", "20:30"), ("19:00", "21:00")]


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def real_postcodes(connection: sqlite3.Connection, district: str) -> list[str]:
    rows = connection.execute(
        "SELECT postcode FROM postcode WHERE postcode LIKE ? ORDER BY postcode", (district + " %",)
    )
    return [row[0] for row in rows]


def towns_for(index: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """Alternate the areas so every template appears in both, in a few towns each."""
    return rng.sample(NEWHAM, 3) + rng.sample(CORNWALL, 3)


def schedule(rng: random.Random, template: dict) -> list[dict]:
    days = ["SA", "SU"] if template.get("weekend") else rng.choice(DAY_PATTERNS)
    opens, closes = rng.choice(EVENING if template.get("evening") else HOURS)
    return [{"byday": day, "opens_at": opens, "closes_at": closes} for day in days]


def capacity(rng: random.Random) -> tuple[str, int | None]:
    roll = rng.random()
    if roll < 0.78:
        return "accepting", None
    if roll < 0.9:
        return "waiting_list", rng.choice([2, 3, 4, 6, 8])
    return ("full", None) if roll < 0.96 else ("paused", None)


def local_service(template: dict, town: tuple, rng: random.Random, postcodes: list[str]) -> dict:
    name_town, district, area = town
    venue = f"{name_town} {rng.choice(VENUES)}"
    name = template["name"].format(town=name_town, venue=venue, area=area)
    organisation = template["org"].format(town=name_town, area=area)
    modes = template.get("modes", ["in_person"])
    status, weeks = capacity(rng)
    languages = rng.choice(NEWHAM_LANGUAGES if district.startswith("E") else CORNWALL_LANGUAGES)
    postcode = rng.choice(postcodes)
    verified = TODAY - timedelta(days=rng.choice([3, 12, 30, 45, 60, 90, 120, 150, 200, 260, 400]))
    phone_tail = f"{rng.randrange(0, 1000):03d}"
    is_london = district.startswith("E")
    return {
        "id": stable_id("service", name, postcode[:4]),
        "name": name,
        "organization": {"id": stable_id("organization", organisation), "name": organisation},
        "description": template["text"],
        "categories": template["cats"],
        "area": area,
        "access_route": template.get("access", "either" if rng.random() < 0.6 else "self"),
        "delivery_modes": modes,
        "is_free": "fee" not in template,
        "fees_description": template.get("fee"),
        "minimum_age": template.get("min_age"),
        "maximum_age": template.get("max_age"),
        "eligibility_description": template.get("eligibility"),
        "exclusions": template.get("exclusions"),
        "capacity_status": status,
        "waiting_list_weeks": weeks,
        "assured_date": verified.isoformat(),
        "url": f"https://{slug(organisation)}.example.org/{slug(name)}",
        "email": f"hello@{slug(organisation)}.example.org",
        "phone": f"020 7946 0{phone_tail}" if is_london else f"01632 960{phone_tail}",
        "languages": languages,
        "location": {
            "id": stable_id("location", name, venue, postcode),
            "name": venue,
            "address_1": f"{rng.randrange(1, 120)} {rng.choice(STREETS)}",
            "city": name_town if is_london else name_town,
            "postal_code": postcode,
            "wheelchair_accessible": rng.random() < 0.7,
        },
        "schedules": schedule(rng, template) if "in_person" in modes or rng.random() < 0.5 else [],
    }


def national_service(entry: tuple, rng: random.Random) -> dict:
    name, categories, modes, text = entry
    organisation = name.replace(" Line", "").replace(" Helpline", "") + " Trust"
    return {
        "id": stable_id("service", name, "national"),
        "name": name,
        "organization": {"id": stable_id("organization", organisation), "name": organisation},
        "description": text,
        "categories": categories,
        "area": "National",
        "access_route": "self",
        "delivery_modes": modes,
        "is_free": True,
        "fees_description": None,
        "minimum_age": None,
        "maximum_age": None,
        "eligibility_description": None,
        "exclusions": None,
        "capacity_status": "accepting",
        "waiting_list_weeks": None,
        "assured_date": (TODAY - timedelta(days=rng.choice([10, 40, 80]))).isoformat(),
        "url": f"https://{slug(organisation)}.example.org",
        "email": None,
        "phone": f"0808 157 0{rng.randrange(0, 1000):03d}" if "telephone" in modes else None,
        "languages": ["en"],
        "service_area": {
            "name": "England" if "telephone" in modes else "Online",
            "extent_type": "national" if "telephone" in modes else "online",
        },
        "location": None,
        "schedules": [
            {"byday": day, "opens_at": "08:00", "closes_at": "20:00"}
            for day in ["MO", "TU", "WE", "TH", "FR"]
        ]
        if "telephone" in modes
        else [],
    }


def build() -> list[dict]:
    rng = random.Random(20261101)
    connection = sqlite3.connect(POSTCODES)
    postcodes = {d: real_postcodes(connection, d) for _, d, _ in NEWHAM + CORNWALL}
    services = []
    for index, template in enumerate(TEMPLATES):
        for town in towns_for(index, rng):
            services.append(local_service(template, town, rng, postcodes[town[1]]))
    services += [national_service(entry, rng) for entry in NATIONAL]
    ids = [service["id"] for service in services]
    assert len(ids) == len(set(ids)), "service ids must be unique"
    return services


if __name__ == "__main__":
    data = build()
    (HERE / "services.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(data)} services")
