"""The content of the sample network: a fictional State (the Republic of Arvenia), its
civil society and what they report. Every organization, place and figure is invented.

`generate_sample.py` turns this into the files in data/submissions/.
"""

# Issue area -> findings (each: text, optional second issue area) and recommendations.
THEMES: dict[str, dict[str, list]] = {
    "Housing": {
        "findings": [
            ("Evictions for rent arrears rose from 11,200 in 2021 to 19,800 in 2024, after the temporary eviction moratorium expired without any replacement protection for low-income tenants.", None),
            ("Average rents in Port Alder increased by 38 per cent between 2020 and 2024 while the minimum wage rose by 9 per cent, leaving a full-time minimum-wage worker unable to afford a one-bedroom flat in any district of the capital.", None),
            ("An estimated 14,000 people sleep rough on any given night, a 60 per cent increase since the previous review; two-thirds of them have been homeless for more than a year.", None),
            ("Municipal by-laws in Eastmere and Granton make sleeping in public spaces an offence punishable by fines of up to 500 crowns, and 2,300 such fines were issued in 2024.", None),
            ("Families with children are placed in emergency motel rooms for an average of 14 months, without cooking facilities and often far from their children's schools.", "Children"),
            ("The waiting list for social housing reached 86,000 households in 2024, with an average wait of seven years in the capital region.", None),
            ("Only 2 per cent of new social housing units built since 2020 are accessible to wheelchair users.", "Persons with disabilities"),
            ("Forced evictions of informal settlements on the outskirts of Larkfield in 2023 left about 400 families without alternative accommodation or compensation.", None),
            ("Landlords routinely refuse tenants who receive housing benefit, and the law does not prohibit discrimination on the basis of source of income.", "Equality and non-discrimination"),
            ("Homeless encampments were cleared by police on 37 occasions in 2024, and residents' identity documents and medicines were destroyed in several of those operations.", "Police violence"),
            ("There is no independent body to which tenants can complain about unsafe conditions; mould and damp affect an estimated one in five rented homes.", "Health"),
            ("Women leaving violent relationships face the longest waits for social housing because shelter stays are not counted as homelessness.", "Violence against women"),
        ],
        "recommendations": [
            "Enact a permanent legal framework that prevents evictions into homelessness and guarantees legal aid to tenants facing eviction.",
            "Repeal municipal by-laws that criminalize sleeping in public spaces.",
            "Adopt a national housing strategy with time-bound targets to end homelessness by 2030, developed with people who have experienced it.",
            "Prohibit discrimination against tenants on the basis of source of income.",
            "Increase investment in social housing so that the waiting list is halved within five years.",
        ],
    },
    "Water and sanitation": {
        "findings": [
            ("Lead levels above the national limit were found in the drinking water of 41 schools in Northgate in 2023; pipes had not been replaced despite warnings since 2016.", "Children"),
            ("Around 22,000 rural households, most of them in Indigenous communities of the Hollin Valley, have no piped water and rely on tanks delivered every two weeks.", "Indigenous Peoples"),
            ("Water disconnections for unpaid bills affected 9,400 households in 2024, including households with infants and people with chronic illnesses.", None),
            ("Water tariffs increased by 45 per cent over four years, and no social tariff protects low-income households.", None),
            ("Public toilets and washing facilities in the capital were closed during the pandemic and more than half have not reopened, leaving homeless people without access to sanitation.", "Housing"),
            ("Agricultural run-off has contaminated groundwater in the Saltmarsh district with nitrates at twice the permitted level, and residents were not informed for 18 months.", "Environment"),
            ("Prisoners in Corran Prison have access to drinking water for only two hours a day during the summer months.", "Detention conditions"),
            ("Boil-water notices in Ravensworth have been in force for more than 600 consecutive days.", None),
        ],
        "recommendations": [
            "Prohibit water disconnections for inability to pay, in particular for households with children, older persons and persons with illnesses.",
            "Replace all lead service pipes serving schools and homes within five years, starting with the most affected areas.",
            "Guarantee safe piped water and sanitation to every Indigenous community, with their free, prior and informed consent to the works.",
            "Introduce a social water tariff for low-income households.",
        ],
    },
    "Food": {
        "findings": [
            ("One in seven households experienced food insecurity in 2024, and the rate reached one in four among single-parent households.", None),
            ("The number of food banks grew from 120 in 2019 to 410 in 2024, and they now supply about 2.1 million emergency food parcels a year.", None),
            ("The school meals programme excludes children whose parents earn slightly above the social assistance threshold, about 90,000 children in all.", "Children"),
            ("Food prices rose by 27 per cent between 2021 and 2024 while social assistance benefits were frozen.", "Social security"),
            ("Rural districts in the south have no shop selling fresh food within 15 kilometres, and there is no public transport to reach one.", None),
            ("Seasonal farm workers report being paid below the minimum wage and having their food costs deducted from their wages.", "Work"),
        ],
        "recommendations": [
            "Recognize the right to food in law and adopt a national strategy to end food insecurity.",
            "Extend free school meals to all children in primary and secondary school.",
            "Index social assistance benefits to the cost of food and housing.",
        ],
    },
    "Systemic racism": {
        "findings": [
            ("Arvenians of African descent are 3.4 times more likely to be stopped and searched by police than white Arvenians, although searches of the two groups find contraband at the same rate.", "Police violence"),
            ("The national action plan against racism expired in 2022 and has not been renewed.", None),
            ("Job applicants with Roma or African names receive 40 per cent fewer callbacks than applicants with identical CVs and Arvenian names, according to a 2023 field study.", "Work"),
            ("Hate crimes reported to police increased by 52 per cent between 2020 and 2024, yet only 8 per cent of reported cases led to a prosecution.", None),
            ("No official statistics are collected on ethnicity in employment, housing or the justice system, which makes structural discrimination invisible in policy-making.", None),
            ("Roma children are four times more likely than other children to be placed in special schools for children with learning difficulties.", "Education"),
            ("The Equality Ombudsman has no power to investigate complaints against the police or the immigration authorities.", None),
            ("Racist statements by elected officials against migrants and Roma have gone without any public response from the Government.", "Immigration"),
        ],
        "recommendations": [
            "Adopt and fund a new national action plan against racism, with measurable targets and the participation of affected communities.",
            "Collect data disaggregated by ethnicity, with safeguards for privacy and self-identification, to measure and address structural discrimination.",
            "Extend the mandate of the Equality Ombudsman to complaints against all public authorities, including the police.",
            "Investigate and prosecute hate crimes effectively and train police and prosecutors to identify racist motives.",
        ],
    },
    "Mass incarceration": {
        "findings": [
            ("The prison population grew from 14,100 in 2016 to 21,700 in 2024, giving Arvenia one of the highest incarceration rates in the region.", None),
            ("More than a third of people in prison are held in pre-trial detention, on average for 11 months.", None),
            ("Mandatory minimum sentences for drug possession account for 28 per cent of all prison admissions.", None),
            ("Arvenians of African descent make up 4 per cent of the population but 19 per cent of the prison population.", "Systemic racism"),
            ("People who cannot pay court fines are imprisoned for non-payment; 1,900 people were jailed for this reason in 2024.", None),
            ("Children as young as 12 can be held in adult police cells for up to 48 hours.", "Children"),
            ("Persons with psychosocial disabilities are over-represented in prison, and 30 per cent of prisoners have no access to mental health care.", "Persons with disabilities"),
        ],
        "recommendations": [
            "Repeal mandatory minimum sentences for drug possession and expand alternatives to imprisonment.",
            "End imprisonment for the non-payment of fines.",
            "Limit pre-trial detention to exceptional cases and set a maximum duration in law.",
            "Raise the minimum age of criminal responsibility to at least 14 years.",
        ],
    },
    "Police violence": {
        "findings": [
            ("At least 31 people died in police custody or during arrests between 2020 and 2024; no police officer has been convicted in connection with any of these deaths.", None),
            ("Complaints against the police are investigated by the police themselves; the independent complaints body proposed in 2019 has not been created.", None),
            ("Police used rubber bullets and tear gas against peaceful demonstrators in Port Alder in June 2023, injuring 64 people, three of whom lost an eye.", "Human rights defenders"),
            ("Police officers are not required to wear visible identification numbers during public order operations.", None),
            ("Body-worn cameras were introduced in 2021, but officers may switch them off at their discretion and footage is deleted after 30 days.", None),
            ("Restraint techniques that restrict breathing, including the prone position, are still taught in police training.", None),
            ("Young men of African descent in Eastmere report being stopped by police several times a month, often with insults and without any record being made.", "Systemic racism"),
        ],
        "recommendations": [
            "Establish an independent body to investigate all complaints of police misconduct and deaths in custody.",
            "Require police officers to wear visible identification at all times.",
            "Prohibit restraint techniques that restrict breathing and the use of rubber bullets in crowd control.",
            "Record every stop and search, with the reason and the perceived ethnicity of the person stopped, and publish the data.",
        ],
    },
    "Death penalty": {
        "findings": [
            ("Arvenia has not carried out an execution since 2009 but retains the death penalty in law for treason and aggravated murder.", None),
            ("Eleven people remain on death row, three of them for more than 15 years in solitary confinement.", "Detention conditions"),
            ("A bill to reintroduce executions for drug trafficking was tabled in Parliament in 2024.", None),
            ("Arvenia has not ratified the Second Optional Protocol to the International Covenant on Civil and Political Rights.", None),
        ],
        "recommendations": [
            "Abolish the death penalty in law for all crimes and commute all death sentences.",
            "Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights.",
            "Withdraw the bill to extend the death penalty to drug offences.",
        ],
    },
    "Voting rights": {
        "findings": [
            ("People serving a prison sentence of more than one year lose the right to vote, which excluded about 15,000 people from the 2024 general election.", "Mass incarceration"),
            ("Voters must present photo identification since 2022; an estimated 7 per cent of adults, mostly older, poorer and Roma citizens, do not have one.", None),
            ("Polling stations in rural areas were reduced by a quarter before the 2024 election, lengthening travel times for voters without cars.", None),
            ("Only 18 per cent of polling stations are fully accessible to persons with disabilities, and no ballots are available in Braille.", "Persons with disabilities"),
            ("Persons under guardianship are automatically deprived of the right to vote.", "Persons with disabilities"),
        ],
        "recommendations": [
            "Restore the right to vote of persons serving prison sentences.",
            "Issue free voter identification documents and accept a wider range of documents at the polls.",
            "Make all polling stations accessible and provide ballots in Braille and easy-to-read formats.",
        ],
    },
    "Immigration": {
        "findings": [
            ("Immigration detention has no maximum time limit; in 2024, 212 people were held for more than six months.", "Detention conditions"),
            ("Children were held in immigration detention on 146 occasions in 2024, including infants.", "Children"),
            ("Undocumented migrants do not seek emergency care because hospitals are required to report them to the immigration authorities.", "Health"),
            ("Migrant domestic workers' visas are tied to a single employer, which leaves workers who suffer abuse unable to leave without losing their status.", "Work"),
            ("The average processing time for family reunification applications rose to 26 months.", None),
            ("Pushbacks at the eastern border were documented in at least 48 cases in 2023, including people who had expressed a wish to seek asylum.", "Refugees and asylum seekers"),
            ("Asylum seekers are barred from working during their first 12 months in the country.", "Refugees and asylum seekers"),
            ("Migrant farm workers in the Saltmarsh district live in overcrowded containers without heating, provided by their employers.", "Housing"),
        ],
        "recommendations": [
            "Set a maximum period for immigration detention in law and end the detention of children.",
            "Establish a firewall between public services and immigration enforcement so that migrants can seek health care and report crimes safely.",
            "Allow migrant domestic workers to change employers without losing their residence status.",
            "End pushbacks and guarantee access to asylum procedures at all borders.",
        ],
    },
    "Violence against women": {
        "findings": [
            ("Thirty-eight women were killed by a current or former partner in 2024, up from 29 in 2020.", None),
            ("The country has 1,100 shelter places for survivors of domestic violence, less than half the number recommended for its population.", None),
            ("The legal definition of rape still requires proof of violence or threat rather than the absence of consent.", None),
            ("Only 6 per cent of rapes reported to the police in 2023 resulted in a conviction.", None),
            ("Protection orders are not enforced across regions, and breaches are rarely prosecuted.", None),
            ("Women with disabilities and migrant women cannot reach most shelters, which are neither accessible nor able to accept women without a residence permit.", "Immigration"),
            ("Funding for specialized support services for survivors was cut by 15 per cent in the 2024 budget.", None),
        ],
        "recommendations": [
            "Amend the Criminal Code so that rape is defined by the absence of consent.",
            "Fund shelter places in line with the Council of Europe's minimum standards and make them accessible to all women.",
            "Ratify and implement the Istanbul Convention.",
            "Ensure that protection orders are enforced in every region and that breaches are prosecuted.",
        ],
    },
    "Children": {
        "findings": [
            ("One in five children lives in relative poverty, and the rate is one in two among children in single-parent households.", None),
            ("Corporal punishment of children in the home is not explicitly prohibited by law.", None),
            ("Waiting times for child and adolescent mental health services exceed 40 weeks in four of the seven regions.", "Health"),
            ("About 600 children are in residential care institutions with more than 30 places, despite the Government's commitment to close them by 2022.", None),
            ("Children's views are not systematically heard in custody and asylum proceedings that concern them.", None),
            ("Online sexual exploitation reports involving children quadrupled between 2020 and 2024, while the specialized police unit has eight officers.", None),
            ("Children of prisoners receive no support, and prison visiting rules do not take their needs into account.", "Mass incarceration"),
        ],
        "recommendations": [
            "Prohibit corporal punishment of children in all settings, including the home.",
            "Adopt a child poverty reduction strategy with targets and a dedicated budget.",
            "Complete the closure of large residential institutions and invest in family-based care.",
            "Reduce waiting times for child and adolescent mental health services to a maximum of 12 weeks.",
        ],
    },
    "Sex workers": {
        "findings": [
            ("The 2021 law criminalizing the purchase of sex has pushed sex work into isolated places and made sex workers less able to screen clients.", None),
            ("Sex workers who report violence to the police are frequently questioned about their own work and, if they are migrants, referred to immigration authorities.", "Immigration"),
            ("Landlords can be prosecuted for renting to sex workers, which has led to evictions of sex workers from their homes.", "Housing"),
            ("Sex workers are excluded from COVID-19 income support and from social security because their work is not recognized.", "COVID-19"),
            ("Outreach health services for sex workers lost their public funding in 2023.", "Health"),
        ],
        "recommendations": [
            "Decriminalize sex work, in consultation with sex workers' organizations.",
            "Ensure that sex workers can report violence to the police without risk of arrest, eviction or deportation.",
            "Restore funding for peer-led health services for sex workers.",
        ],
    },
    "COVID-19": {
        "findings": [
            ("Care home residents accounted for 44 per cent of COVID-19 deaths in 2020 and 2021, and visits were banned for up to 14 months.", "Health"),
            ("Emergency decrees restricted demonstrations for 19 months without parliamentary review.", None),
            ("Children from low-income families lost an average of four months of schooling because they had no computer or internet connection during school closures.", "Education"),
            ("Fines for breaches of lockdown rules were issued disproportionately in poorer districts and to young people of African descent.", "Systemic racism"),
            ("An independent inquiry into the management of the pandemic has not been established.", None),
            ("Informal and self-employed workers, a majority of them women and migrants, were excluded from pandemic income support.", "Social security"),
        ],
        "recommendations": [
            "Establish an independent public inquiry into the response to the COVID-19 pandemic, with the participation of bereaved families.",
            "Guarantee in law the right of care home residents to receive visits during health emergencies.",
            "Subject all emergency measures to parliamentary review and time limits.",
        ],
    },
    "Indigenous Peoples": {
        "findings": [
            ("The Sámir people of the Hollin Valley have no legal recognition of their collective land rights.", None),
            ("A lithium mine was licensed on Sámir grazing lands in 2023 without their free, prior and informed consent.", "Environment"),
            ("Life expectancy in Indigenous communities is nine years lower than the national average.", "Health"),
            ("Teaching in the Sámir language is available in only four schools, and no secondary school teaches in it.", "Education"),
            ("Indigenous children are placed in State care at five times the rate of other children.", "Children"),
            ("Arvenia has not ratified ILO Convention No. 169 on Indigenous and Tribal Peoples.", None),
        ],
        "recommendations": [
            "Recognize in law the collective land rights of Indigenous Peoples.",
            "Ratify ILO Convention No. 169.",
            "Obtain the free, prior and informed consent of Indigenous Peoples before licensing extractive projects on their lands.",
            "Guarantee education in Indigenous languages at all levels.",
        ],
    },
    "Health": {
        "findings": [
            ("Out-of-pocket payments account for 31 per cent of health spending, and 12 per cent of households postponed needed care in 2024 for financial reasons.", None),
            ("Rural hospitals closed 14 maternity wards between 2018 and 2024, and women in the north now travel more than 90 minutes to give birth.", None),
            ("Abortion is legal but is not provided in public hospitals in three of the seven regions, forcing women to travel or pay privately.", "Violence against women"),
            ("Mental health services receive 4 per cent of the health budget, and involuntary admissions rose by 30 per cent in five years.", None),
            ("Overdose deaths doubled between 2019 and 2024, and there is no supervised consumption service in the country.", None),
            ("Medical interpreters are not available in public hospitals, and patients rely on their children to interpret.", "Immigration"),
        ],
        "recommendations": [
            "Abolish out-of-pocket payments for primary care and essential medicines.",
            "Guarantee access to abortion services in public hospitals in every region.",
            "Shift drug policy to a public health approach, including harm-reduction services.",
            "Increase mental health funding to at least 10 per cent of the health budget and reduce involuntary admissions.",
        ],
    },
    "Persons with disabilities": {
        "findings": [
            ("About 9,000 persons with disabilities live in institutions, and the deinstitutionalization strategy has no budget.", None),
            ("Plenary guardianship still removes legal capacity from about 21,000 adults.", None),
            ("Disability benefits were cut by 12 per cent in real terms between 2020 and 2024.", "Social security"),
            ("Only 35 per cent of train stations are accessible to wheelchair users.", None),
            ("Children with disabilities are taught in separate schools in most regions, and inclusive education support staff were cut in 2023.", "Education"),
        ],
        "recommendations": [
            "Replace guardianship with supported decision-making in line with the Convention on the Rights of Persons with Disabilities.",
            "Adopt a funded deinstitutionalization plan with a timeline.",
            "Guarantee inclusive education with reasonable accommodation in mainstream schools.",
        ],
    },
    "LGBTI persons": {
        "findings": [
            ("Legal gender recognition requires sterilization and a psychiatric diagnosis.", None),
            ("Surgery on intersex infants without their consent continues in two university hospitals.", "Children"),
            ("Same-sex couples cannot adopt jointly, and children of same-sex parents have only one legal parent.", None),
            ("Homophobic and transphobic hate crimes are not recorded as such by the police.", None),
            ("Pride marches in Granton and Eastmere were banned in 2023 and 2024 on grounds of public order.", "Human rights defenders"),
        ],
        "recommendations": [
            "Adopt legal gender recognition based on self-determination, without medical requirements.",
            "Prohibit non-urgent, non-consensual surgery on intersex children.",
            "Record and prosecute hate crimes based on sexual orientation and gender identity.",
        ],
    },
    "Environment": {
        "findings": [
            ("Air pollution from the Granton coal plant exceeds WHO guidelines on 140 days a year in the neighbouring districts, where asthma rates among children are twice the national average.", "Health"),
            ("Arvenia's climate targets are not legally binding, and emissions rose by 4 per cent between 2019 and 2023.", None),
            ("Toxic waste sites are concentrated near Roma settlements; three of the five largest are within one kilometre of one.", "Systemic racism"),
            ("The public cannot challenge environmental permits in court unless they own land next to the project.", None),
            ("Floods in 2024 displaced 6,000 people in the Saltmarsh district, most of whom have not been rehoused.", "Housing"),
        ],
        "recommendations": [
            "Adopt a climate law with binding targets consistent with limiting warming to 1.5°C.",
            "Close the Granton coal plant and guarantee a just transition for its workers.",
            "Ratify the Aarhus Convention and give the public standing to challenge environmental decisions.",
        ],
    },
    "Education": {
        "findings": [
            ("Twelve per cent of young people leave school without any qualification, and the rate is 40 per cent among Roma young people.", "Systemic racism"),
            ("There is a shortage of 6,500 teachers, and classes of more than 35 pupils are common in primary schools in the capital.", None),
            ("School fees for books and trips amount to about 600 crowns a year per child, which many families cannot pay.", None),
            ("Human rights education is not part of the national curriculum.", None),
        ],
        "recommendations": [
            "End segregation of Roma children in education and support their inclusion in mainstream schools.",
            "Make primary and secondary education free in practice, including books and materials.",
            "Include human rights education in the national curriculum.",
        ],
    },
    "Human rights defenders": {
        "findings": [
            ("The 2022 Foreign Agents Act requires organizations receiving foreign funding to register and label all their publications, and 19 organizations closed rather than comply.", None),
            ("Environmental defenders opposing the lithium mine faced 23 lawsuits for defamation brought by the mining company.", "Environment"),
            ("Journalists and activists were placed under surveillance with spyware, according to forensic analysis of their phones in 2023.", None),
            ("Protesters face fines of up to 10,000 crowns for taking part in unannounced demonstrations.", None),
        ],
        "recommendations": [
            "Repeal the Foreign Agents Act.",
            "Adopt legislation against strategic lawsuits against public participation (SLAPPs).",
            "Investigate the use of spyware against journalists and defenders, and regulate surveillance under independent judicial control.",
        ],
    },
}

# Near-identical rewordings of some findings, given by other submissions (they merge in the report).
VARIANTS: dict[str, str] = {
    "Police officers are not required to wear visible identification numbers during public order operations.":
        "Police officers are not required to wear visible identification numbers in public order operations.",
    "Corporal punishment of children in the home is not explicitly prohibited by law.":
        "Corporal punishment of children in the home is still not explicitly prohibited by law.",
    "Arvenia has not ratified ILO Convention No. 169 on Indigenous and Tribal Peoples.":
        "Arvenia has still not ratified ILO Convention No. 169 on Indigenous and Tribal Peoples.",
}

QUOTES: list[tuple[str, str, str]] = [
    ("Housing", "We were given three days to leave. I packed the children's school things first, because I did not know where we would sleep.", "a mother evicted in Eastmere, 2024"),
    ("Police violence", "They pushed my face into the ground and kept a knee on my back. I told them I could not breathe.", "a 19-year-old man arrested in Port Alder"),
    ("Immigration", "Nobody told us how long we would stay. After five months my son stopped asking.", "a father held in the Granton immigration centre"),
    ("Water and sanitation", "We boil every cup. The children know not to drink from the tap at school.", "a parent in Northgate"),
    ("Violence against women", "The shelter was full, so the police drove me back home.", "a survivor of domestic violence, Larkfield"),
    ("Sex workers", "If I call the police when a client attacks me, I am the one who loses my flat.", "a sex worker in Port Alder"),
    ("Indigenous Peoples", "Our reindeer have grazed this valley for a thousand years. Nobody asked us before the trucks came.", "a Sámir herder of the Hollin Valley"),
    ("COVID-19", "My mother died alone. We said goodbye through a window.", "a daughter of a care home resident"),
    ("Persons with disabilities", "I have lived in this institution for 22 years. I want a key to my own door.", "a resident of the Millbrook care institution"),
    ("Mass incarceration", "I was in jail for 40 days because I could not pay a fine for riding the tram without a ticket.", "a man released from Corran Prison"),
    ("Children", "I waited a year to see someone about my anxiety. By then I had left school.", "a 16-year-old in Ravensworth"),
    ("LGBTI persons", "To change one letter on my passport, they wanted me sterilized.", "a transgender woman in Granton"),
    ("Human rights defenders", "The lawsuits are not meant to win. They are meant to exhaust us.", "an environmental defender in the Hollin Valley"),
    ("Food", "I skip lunch so the children can have dinner.", "a single mother of three, Saltmarsh"),
]

# (code, name, city, themes) of organizations making individual submissions.
INDIVIDUAL: list[tuple[str, str, str, list[str]]] = [
    ("HTU", "Harbour Tenants Union", "Port Alder", ["Housing"]),
    ("ELA", "Eastside Legal Aid", "Eastmere", ["Housing", "Immigration"]),
    ("SHN", "Street Health Network", "Port Alder", ["Housing", "Health"]),
    ("CWR", "Clean Water for Rural Arvenia", "Hollin Bay", ["Water and sanitation"]),
    ("PWJ", "Parents for Water Justice", "Northgate", ["Water and sanitation", "Children"]),
    ("FBA", "Food Bank Alliance of Arvenia", "Granton", ["Food"]),
    ("RDN", "Right to Dignity Network", "Larkfield", ["Food", "Social security"]),
    ("ARC", "African-Arvenian Rights Centre", "Port Alder", ["Systemic racism", "Police violence"]),
    ("RVP", "Romani Voices Project", "Eastmere", ["Systemic racism", "Education"]),
    ("EQW", "Equality Watch Arvenia", "Port Alder", ["Systemic racism"]),
    ("PRI", "Prison Reform Initiative", "Corran", ["Mass incarceration", "Detention conditions"]),
    ("JJF", "Justice for Juveniles Foundation", "Ravensworth", ["Mass incarceration", "Children"]),
    ("DPW", "Decarceration Project Arvenia", "Granton", ["Mass incarceration"]),
    ("PAW", "Police Accountability Watch", "Port Alder", ["Police violence"]),
    ("FFJ", "Families for Justice", "Eastmere", ["Police violence"]),
    ("ADP", "Arvenian Coalition Against the Death Penalty", "Port Alder", ["Death penalty"]),
    ("VAA", "Vote Access Arvenia", "Larkfield", ["Voting rights"]),
    ("MRC", "Migrant Rights Centre", "Granton", ["Immigration"]),
    ("DWA", "Domestic Workers Association", "Port Alder", ["Immigration", "Work"]),
    ("WRC", "Women's Refuge Council", "Larkfield", ["Violence against women"]),
    ("FSP", "Feminist Solidarity Platform", "Port Alder", ["Violence against women", "Health"]),
    ("CRA", "Children's Rights Alliance Arvenia", "Ravensworth", ["Children"]),
    ("YMH", "Youth Mind Health", "Millbrook", ["Children", "Health"]),
    ("SWC", "Sex Workers' Collective of Arvenia", "Port Alder", ["Sex workers"]),
    ("CHA", "Care Homes Action", "Millbrook", ["COVID-19"]),
    ("PHW", "Public Health Watch", "Granton", ["COVID-19", "Health"]),
    ("SCA", "Sámir Council of Arvenia", "Hollin Bay", ["Indigenous Peoples"]),
    ("HVL", "Hollin Valley Land Defenders", "Hollin Bay", ["Indigenous Peoples", "Environment"]),
    ("PHR", "Patients' Rights Arvenia", "Northgate", ["Health"]),
    ("HRD", "Harm Reduction Arvenia", "Port Alder", ["Health"]),
    ("DRA", "Disability Rights Arvenia", "Millbrook", ["Persons with disabilities"]),
    ("ILA", "Independent Living Arvenia", "Granton", ["Persons with disabilities"]),
    ("RBA", "Rainbow Arvenia", "Port Alder", ["LGBTI persons"]),
    ("TAA", "Trans Action Arvenia", "Granton", ["LGBTI persons"]),
    ("GAC", "Green Arvenia Coalition", "Saltmarsh", ["Environment"]),
    ("CAN", "Clean Air Northgate", "Northgate", ["Environment", "Health"]),
    ("EFA", "Education for All Arvenia", "Ravensworth", ["Education"]),
    ("FEX", "Free Expression Arvenia", "Port Alder", ["Human rights defenders"]),
    ("DDF", "Defenders' Defence Fund", "Port Alder", ["Human rights defenders"]),
    ("JRS", "Jesuit-run Refugee Support Arvenia", "Granton", ["Immigration"]),
    ("OPA", "Older People's Advocacy Arvenia", "Millbrook", ["COVID-19", "Health"]),
    ("RUR", "Rural Arvenia Network", "Saltmarsh", ["Food", "Water and sanitation"]),
    ("LEX", "Lex Humana Law Clinic", "Port Alder", ["Mass incarceration", "Voting rights"]),
    ("MAM", "Mothers Against Motel Housing", "Eastmere", ["Housing", "Children"]),
    ("SAV", "Survivors' Voice Arvenia", "Eastmere", ["Violence against women"]),
    ("DEM", "Democracy Watch Arvenia", "Larkfield", ["Voting rights", "Human rights defenders"]),
    ("IWF", "Intersex Welfare Forum", "Port Alder", ["LGBTI persons", "Children"]),
    ("BRW", "Border Rights Watch", "Eastmere", ["Immigration"]),
    ("HCA", "Housing Coops of Arvenia", "Granton", ["Housing"]),
    ("CPS", "Centre for Penal Studies", "Port Alder", ["Mass incarceration", "Death penalty"]),
]

# The one confidential submission: its organization must never be named in any output.
CONFIDENTIAL = ("SWL", "Sex Worker Legal Shelter", "Port Alder", ["Sex workers"])

# (code, coalition name or None, members, themes) of joint submissions.
JOINT: list[tuple[str, str | None, list[str], list[str]]] = [
    ("JS1", "Arvenian Housing Rights Coalition", ["Harbour Tenants Union", "Housing Coops of Arvenia", "Mothers Against Motel Housing", "Street Health Network"], ["Housing"]),
    ("JS2", None, ["Clean Water for Rural Arvenia", "Rural Arvenia Network", "Sámir Council of Arvenia"], ["Water and sanitation", "Indigenous Peoples"]),
    ("JS3", "Coalition for Racial Justice", ["African-Arvenian Rights Centre", "Romani Voices Project", "Equality Watch Arvenia", "Families for Justice", "Arvenian Jewish Community Forum"], ["Systemic racism", "Police violence"]),
    ("JS4", None, ["Prison Reform Initiative", "Decarceration Project Arvenia", "Centre for Penal Studies", "Lex Humana Law Clinic"], ["Mass incarceration", "Voting rights"]),
    ("JS5", "Migrant Justice Platform", ["Migrant Rights Centre", "Domestic Workers Association", "Border Rights Watch", "Jesuit-run Refugee Support Arvenia", "Eastside Legal Aid", "Port Alder Interpreters' Guild"], ["Immigration"]),
    ("JS6", "Alliance to End Violence against Women", ["Women's Refuge Council", "Feminist Solidarity Platform", "Survivors' Voice Arvenia"], ["Violence against women"]),
    ("JS7", "Arvenian Child Rights Network", ["Children's Rights Alliance Arvenia", "Youth Mind Health", "Justice for Juveniles Foundation", "Parents for Water Justice"], ["Children"]),
    ("JS8", None, ["Care Homes Action", "Public Health Watch", "Older People's Advocacy Arvenia"], ["COVID-19", "Health"]),
    ("JS9", "Disability Pride Arvenia", ["Disability Rights Arvenia", "Independent Living Arvenia", "Deaf Association of Arvenia"], ["Persons with disabilities", "Voting rights"]),
    ("JS10", None, ["Rainbow Arvenia", "Trans Action Arvenia", "Intersex Welfare Forum"], ["LGBTI persons"]),
    ("JS11", "Climate Justice Arvenia", ["Green Arvenia Coalition", "Clean Air Northgate", "Hollin Valley Land Defenders"], ["Environment", "Indigenous Peoples"]),
    ("JS12", "Civic Space Coalition", ["Free Expression Arvenia", "Defenders' Defence Fund", "Democracy Watch Arvenia", "Arvenian Union of Journalists"], ["Human rights defenders", "Police violence"]),
]

NHRI = ("ACHR", "Arvenian Commission for Human Rights", "Port Alder",
        ["Housing", "Mass incarceration", "Immigration", "Persons with disabilities", "Indigenous Peoples", "Systemic racism"])

# Findings sent without an issue area (they show how untagged findings are reported).
UNTAGGED = [
    ("EQW", "Budget cuts to legal aid since 2020 mean that 60 per cent of applicants for civil legal aid are now refused."),
    ("DEM", "The Government did not consult civil society on its national report for this review."),
]

# Two members write in their own language (issue 13: mixed-language input). Their text is
# never translated: findings, recommendations, quotes and names stay as written. Their
# issue areas are written in French or Spanish and resolve to the codebook's themes.
# Each finding: (text, issue areas, recommendations, quote, quote by).

# A French-speaking member, as a semicolon-separated CSV with French headers (the way
# French Excel saves "CSV UTF-8"), the organization's name on every row.
FRENCH = {
    "code": "DTA",
    "name": "Droit au toit Arvénie",
    "city": "Eastmere",
    "type": "individuelle",
    "email": "epu@droitautoit.example.org",
    "url": "https://droitautoit.example.org/epu-2026.pdf",
    "findings": [
        # The same facts as an English finding of the sample (Housing): a concern two
        # members raised in two languages.
        ("Les expulsions pour impayés de loyer sont passées de 11 200 en 2021 à 19 800 en 2024, après l'expiration du moratoire temporaire sans aucune protection de remplacement pour les locataires à faibles revenus.",
         ["Logement"],
         ["Adopter un cadre légal permanent qui interdise toute expulsion sans relogement et garantisse l'aide juridictionnelle aux locataires menacés d'expulsion."],
         None, None),
        ("Quelque 3 100 enfants vivaient en hébergement d'urgence à l'hôtel à la fin de 2024 ; 40 % d'entre eux avaient changé d'école au moins deux fois au cours de l'année scolaire.",
         ["Logement", "Enfants"],
         ["Limiter à six semaines la durée d'hébergement des familles avec enfants à l'hôtel et leur garantir une place dans l'école de leur quartier."],
         "Nous avons déménagé quatre fois en un an. Ma fille ne sait plus dans quelle école elle va.",
         "une mère hébergée à l'hôtel à Eastmere"),
        ("Dans les quartiers francophones d'Eastmere, 62 % des logements sociaux ont été construits avant 1970 et n'ont jamais été rénovés ; le chauffage est défaillant dans un logement sur quatre.",
         ["Logement"],
         ["Financer un plan de rénovation des logements sociaux construits avant 1970, assorti d'un calendrier public."],
         None, None),
        ("Les services publics de santé d'Eastmere ne proposent aucun interprète en français : 18 % des patients francophones interrogés en 2024 déclarent avoir renoncé à des soins faute de pouvoir se faire comprendre.",
         ["Santé"],
         ["Garantir l'accès gratuit à un interprète dans tous les établissements publics de santé."],
         None, None),
        ("Le taux de pauvreté des enfants de familles monoparentales atteint 31 %, contre 12 % pour l'ensemble des enfants, et les allocations familiales n'ont pas été revalorisées depuis 2019.",
         ["Pauvreté", "Enfants"],
         ["Indexer les allocations familiales sur le coût de la vie et les revaloriser dès 2026."],
         None, None),
        ("Les écoles de langue française de la région d'Eastmere ont perdu 11 postes d'enseignants depuis 2021, et deux écoles primaires ont fermé sans consultation des parents.",
         ["Éducation", "Enfants"],
         [],
         None, None),
        ("Les familles hébergées à l'hôtel n'ont pas de cuisine : 70 % des parents interrogés par l'association déclarent ne pas pouvoir préparer un repas chaud pour leurs enfants plus de deux fois par semaine.",
         ["Logement"],
         [],
         None, None),
    ],
}

# A joint submission of Spanish-speaking members, as the intake workbook that
# `init --language es` writes, filled in (the organizations only on the first row).
SPANISH = {
    "code": "JS13",
    "members": ["Colectivo de Trabajadoras del Hogar de Granton", "Asociación Latinoamericana de Arvenia", "Mujeres Migrantes en Acción"],
    "city": "Granton",
    "type": "conjunta",
    "email": "epu@trabajadorasdelhogar.example.org",
    "url": None,
    "findings": [
        ("De las 2.400 trabajadoras del hogar migrantes atendidas por las organizaciones en 2024, el 58 % trabajaba más de 60 horas semanales y el 41 % nunca había recibido un contrato por escrito.",
         ["Migrantes", "Trabajo"],
         ["Ratificar el Convenio 189 de la OIT sobre las trabajadoras y los trabajadores domésticos y extender a este sector la legislación sobre jornada máxima."],
         "Me quitaron el pasaporte el primer día. Trabajé dos años sin un solo día libre.",
         "una trabajadora del hogar en Granton"),
        # The same concern as an English finding of the sample (Immigration, Work).
        ("El permiso de residencia de las trabajadoras del hogar está vinculado a un único empleador, por lo que denunciar abusos supone perder la residencia; en 2024 solo 14 de ellas se atrevieron a presentar una denuncia.",
         ["Migrantes"],
         ["Desvincular el permiso de residencia de las trabajadoras del hogar de un empleador concreto."],
         None, None),
        ("Las mujeres migrantes en situación irregular no tienen acceso a la atención prenatal gratuita; en el hospital de Granton, el 23 % de ellas llegó al parto sin ningún control previo.",
         ["Salud", "Migrantes"],
         ["Garantizar la atención prenatal y obstétrica gratuita a todas las mujeres, con independencia de su situación migratoria."],
         None, None),
        ("Las víctimas migrantes de violencia de género no acuden a la policía porque sus datos se comunican a los servicios de inmigración; las organizaciones registraron en 2024 96 casos no denunciados por este motivo.",
         ["Violencia de género", "Migrantes"],
         ["Establecer por ley una separación estricta entre la protección de las víctimas y el control migratorio."],
         None, None),
        ("Las familias migrantes pagan alquileres un 30 % superiores a la media por viviendas en peor estado, y siete de cada diez anuncios consultados en Granton excluían expresamente a personas extranjeras.",
         ["Vivienda"],
         [],
         None, None),
        ("La Inspección de Trabajo realizó solo 9 visitas a hogares empleadores en 2023, en un sector que ocupa a unas 40.000 trabajadoras.",
         ["Trabajo"],
         ["Dotar a la Inspección de Trabajo de mandato y recursos para inspeccionar el trabajo doméstico."],
         None, None),
    ],
}
