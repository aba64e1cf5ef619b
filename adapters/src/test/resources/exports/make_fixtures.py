#!/usr/bin/env python3
"""Writes the export fixtures byte for byte (BOM, CRLF, trailing ';', windows-1251/1252 bytes).
Run from this folder: python3 make_fixtures.py. XLSX fixtures are made by the tests with POI."""
import os

NBSP, NNBSP = '\u00a0', '\u202f'


def write(path, text, encoding='utf-8', bom=False, newline='\n'):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.replace('\n', newline).encode(encoding)
    if bom:
        data = b'\xef\xbb\xbf' + data
    with open(path, 'wb') as f:
        f.write(data)


# amoCRM: ';', UTF-8 with BOM, CRLF; "Бюджет " with a trailing space, utm_source twice, DD.MM.YYYY HH:MM[:SS]
write('amocrm/amocrm_export_leads_2024-05-20.csv',
      'ID;Название сделки;Бюджет ;Ответственный;Дата создания сделки;Кем создана сделка;Дата редактирования;'
      'Дата закрытия;Теги;Этап сделки;Воронка;Полное имя контакта;Компания;Источник;utm_source;utm_medium;'
      'utm_campaign;utm_source;Причина отказа\n'
      '101;"Сайт для ООО ""Ромашка""";1 000 000,50;Иван Петров;05.03.2024 10:15:00;Иван Петров;20.03.2024 18:00;'
      '20.03.2024 17:45:10;сайт, vip;Успешно реализовано;Продажи;Анна Смирнова;ООО Ромашка;;yandex;cpc;spring;;\n'
      f'102;Лендинг;25{NBSP}000;Мария Козлова;07.03.2024 09:00;Мария Козлова;15.03.2024 12:00:00;не закрыта;;'
      'Переговоры;Продажи;Олег Иванов;;Рекомендация;;;;google;\n'
      '103;Поддержка;5000;Иван Петров;10.03.2024 11:30:00;Иван Петров;12.04.2024 16:20:00;12.04.2024 16:20:00;;'
      'Закрыто и не реализовано;Продажи;;ООО Ромашка;Выставка;;;;;Дорого\n'
      '104;Битая сумма;12abc;Иван Петров;11.03.2024 10:00:00;Иван Петров;11.03.2024 10:00:00;не закрыта;;'
      'Переговоры;Продажи;;;;;;;;\n'
      '105;Короткая строка;100;Иван Петров\n'
      f'106;Партнёрская заявка;15{NNBSP}000,00;Мария Козлова;01.04.2024 08:05;Мария Козлова;02.04.2024 09:00;'
      'не закрыта;;Первичный контакт;Партнёры;;;;Facebook;social;;;\n',
      bom=True, newline='\r\n')

# amoCRM contacts: same physical form as the deal export; "Должность " with a trailing space, "Теги" twice,
# a ';' inside a quoted value, no full name (built from Имя + Фамилия), a namesake, a bad date, a row without a name
write('amocrm/amocrm_export_contacts_2024-05-20.csv',
      'ID;Имя;Фамилия;Полное имя;Компания;Рабочий телефон;Мобильный телефон;Рабочий email;Личный email;'
      'Должность ;Дата создания;Кем создан;Дата изменения;Ответственный;Теги;Источник;Теги\n'
      '2001;Анна;Смирнова;Анна Смирнова;ООО Ромашка;+7 495 111-22-33;;anna@romashka.ru;;Директор;'
      '01.03.2024 09:00:00;Иван Петров;02.03.2024 10:00;Иван Петров;"vip; ключевой";Выставка;\n'
      '2002;Олег;Иванов;Олег Иванов;;;+7 916 000-00-01;;oleg@mail.ru;;04.03.2024 12:30;Мария Козлова;'
      '05.03.2024 08:00:00;Мария Козлова;;Рекомендация;повтор\n'
      '2003;Пётр;Сидоров;;ООО Вектор;+7 812 222-33-44;+7 921 555-66-77;;;Инженер;06.03.2024 15:45;Мария Козлова;'
      '06.03.2024 15:45;Мария Козлова;;;\n'
      '2004;Ольга;Белова;Ольга Белова;;;;olga@example.com;;;31.02.2024 10:00;Иван Петров;;Иван Петров;;;\n'
      '2005;Анна;Смирнова;Анна Смирнова;ООО Луч;;;anna.s@luch.ru;;;10.03.2024 11:00;Иван Петров;;Иван Петров;;;\n'
      '2006;;;;ООО Ромашка;+7 495 000-00-00;;;;;11.03.2024 12:00;Иван Петров;;Иван Петров;;;\n',
      bom=True, newline='\r\n')

# amoCRM companies: a quoted address with ';', a deal list with doubled quotes, a bad date
write('amocrm/amocrm_export_companies_2024-05-20.csv',
      'ID;Название компании;Рабочий телефон;Рабочий email;Web;Адрес;Сфера деятельности;Дата создания;Кем создана;'
      'Дата изменения;Ответственный;Теги;Сделки\n'
      '3001;ООО Ромашка;+7 495 111-22-00;info@romashka.ru;romashka.ru;"г. Москва; ул. Цветочная, 1";Розница;'
      '01.02.2024 10:00:00;Иван Петров;03.03.2024 09:15;Иван Петров;vip;"Сайт для ООО ""Ромашка"", Поддержка"\n'
      '3002;ООО Луч;;;;;Производство;15.02.2024 14:30;Мария Козлова;;Мария Козлова;;\n'
      '3003;ЗАО Бета;;;;;;2024-13-45;Иван Петров;;Иван Петров;;\n',
      bom=True, newline='\r\n')

# amoCRM "all contacts and companies" export: one file, "Тип" says what a row is
write('amocrm/amocrm_export_all_contacts_2024-05-20.csv',
      'Тип;Наименование;Компания;Дата создания;Ответственный;Рабочий телефон;Рабочий email;Теги\n'
      'Контакт;Иван Кузнецов;ООО Гамма;12.03.2024 09:00;Иван Петров;+7 900 000-00-02;ivan@gamma.ru;\n'
      'Компания;ООО Гамма;;11.03.2024 08:00;Иван Петров;+7 495 333-44-55;info@gamma.ru;партнёр\n'
      'Сделка;Заказ;;12.03.2024 09:00;;;;\n',
      bom=True, newline='\r\n')

# Kommo (English UI) contacts: ',' delimiter, UTF-8 with BOM, CRLF, a quoted ',' in a value
write('amocrm/kommo_export_contacts_2024-05-20.csv',
      'ID,First name,Last name,Full name,Company,Work phone,Work email,Position,Date created,Created by,'
      'Date modified,Responsible user,Tags\n'
      '501,Ann,Lee,Ann Lee,Acme Inc.,+1 415 555 0100,ann@acme.com,"Head of Sales, EMEA",02.05.2024 09:30,'
      'Bob Stone,03.05.2024 10:00:15,Bob Stone,vip\n'
      '502,John,"Smith, Jr.",,,,john@example.com,,04.05.2024 11:00,Bob Stone,,Kate Moss,\n'
      '503,Eve,Adams,Eve Adams,Acme Inc.,,,,2024-05-06,Bob Stone,,Bob Stone,\n',
      bom=True, newline='\r\n')

# Bitrix24 deal CSV: every value quoted and followed by ';', LF, UTF-8 with BOM, display names;
# CLOSEDATE ("Предполагаемая дата закрытия") and PROBABILITY ("Вероятность", 0-100, typed per deal)
B24_HEAD = ('"ID";"Название";"Стадия сделки";"Воронка";"Сумма";"Валюта";"Ответственный";"Дата создания";'
            '"Дата изменения";"Предполагаемая дата закрытия";"Вероятность";"Сделка закрыта";"Компания";"Контакт";"Источник";'
            '"Рекламная система";"Тип трафика";"Обозначение рекламной кампании";"Комментарий";\n')
write('bitrix24/deals_utf8.csv', B24_HEAD +
      '"7";"Поставка оборудования";"Сделка успешна";"Общая";"150000.00";"Российский рубль";"Елена Соколова";'
      '"10.01.2024 09:00:00";"25.01.2024 15:30:00";"25.01.2024";"100";"Да";"ООО Вектор";"Пётр Сидоров";"Веб-сайт";'
      '"google";"cpc";"winter";"Комментарий с ""кавычками""\nи переносом";\n'
      '"8";"Монтаж";"В работе";"Общая";"30000.50";"Доллар США";"Елена Соколова";"12.01.2024 10:00:00";'
      '"20.01.2024 11:00:00";"28.02.2024";"40";"Нет";"";"";"Звонок";"";"";"";"";\n'
      '"9";"Консультация";"Сделка провалена";"Общая";"0.00";"Российский рубль";"Игорь Волков";'
      '"15.01.2024 12:00:00";"16.01.2024 13:00:00";"16.01.2024";"0";"Да";"";"";"";"";"";"";"";\n'
      '"10";"Ремонт";"Оплачено";"Сервис";"12000.00";"Российский рубль";"Игорь Волков";"17.01.2024 08:00:00";'
      '"30.01.2024 17:00:00";"30.01.2024";"";"Да";"ООО Вектор";"";"";"";"";"";"";\n'
      '"11";"Плохая";"Новая";"Общая";"много";"Российский рубль";"Игорь Волков";"18.01.2024 08:00:00";'
      '"18.01.2024 08:00:00";"";"";"Нет";"";"";"";"";"";"";"";\n'
      '"12";"Обучение";"Новая";"Общая";"5000.00";"Российский рубль";"Игорь Волков";"19.01.2024 08:00:00";'
      '"19.01.2024 08:00:00";"15.03.2024";"150";"Нет";"";"";"";"";"";"";"";\n'
      '"13";"Аудит сайта";"Новая";"Общая";"7000.00";"Российский рубль";"Елена Соколова";"20.01.2024 08:00:00";'
      '"20.01.2024 08:00:00";"";"";"Нет";"";"";"";"";"";"";"";\n',
      bom=True)

# the same layout from an on-premise portal in windows-1251, no BOM
write('bitrix24/deals_cp1251.csv', B24_HEAD +
      '"21";"Ёлки для офиса";"Подготовка документов";"Общая";"4500.00";"Российский рубль";"Фёдор Ёжиков";'
      '"01.12.2023 09:00:00";"02.12.2023 10:00:00";"";"";"Нет";"";"";"";"";"";"";"";\n',
      encoding='cp1251')

# Bitrix24 "Excel" export: an HTML table served as .xls (English portal)
write('bitrix24/deals_excel.xls',
      '<meta http-equiv="Content-type" content="text/html;charset=UTF-8" />\n'
      '<table border="1">\n<thead>\n<tr>\n<th>ID</th><th>Title</th><th>Deal Stage</th><th>Sales Funnel</th>'
      '<th>Amount</th><th>Currency</th><th>Responsible</th><th>Creation Date</th><th>Modification Date</th>'
      '<th>Closed</th><th>Source</th>\n</tr>\n</thead>\n<tbody>\n'
      '<tr><td>31</td><td>CRM rollout &amp; training</td><td>Deal successful</td><td>General</td><td>9800.00</td>'
      '<td>US Dollar</td><td>John Smith</td><td>01/15/2024 10:00 am</td><td>02/01/2024 04:30 pm</td><td>Y</td>'
      '<td>E-mail</td></tr>\n'
      '<tr><td>32</td><td>Support plan</td><td>In progress</td><td>General</td><td>1200.00</td><td>Euro</td>'
      '<td>John Smith</td><td>01/20/2024 09:15 am</td><td>01/21/2024 09:15 am</td><td>N</td><td></td></tr>\n'
      '</tbody>\n</table>\n')

# HubSpot variant (a): UTF-8 BOM + CRLF, minimal quoting, "Associated Company" twice
write('hubspot/hubspot-crm-exports-all-deals-2023-04-03.csv',
      'Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Closed Lost Reason,Last Modified Date,'
      'Create Date,Pipeline,Deal probability,Is Deal Closed?,Associated Company,Associated Company IDs,'
      'Original Source Type,Associated Company\n'
      '9001,Acme renewal,Closed won,2023-03-15 14:30,Mark Stringer,375000,,2023-03-16 09:00,2023-01-10 08:00,'
      'Sales Pipeline,1.0,true,Acme Inc,5001,Organic Search,Acme Inc\n'
      '9002,"Beta, Inc. expansion",Contract sent,2023-06-30 00:00,Jane Doe,45362.12,,2023-03-20 10:00,'
      '2023-02-01 12:00,Sales Pipeline,0.9,false,"Beta, Inc.",5002;5003,Paid Search,"Beta, Inc."\n'
      '9003,Gamma pilot,Opportunity identified,2023-03-01 10:00,Mark Stringer,11015.0,Budget cut,2023-03-02 11:00,'
      '2023-02-15 09:30,Sales Pipeline,0.0,true,,,Direct Traffic,\n'
      '9004,Delta deal,Verbal yes,2023-03-30 16:45,Jane Doe,2000,,2023-03-31 08:00,2023-03-01 08:00,'
      'Enterprise,1.0,true,,,,\n'
      '9005,Epsilon,Presentation scheduled,2023-05-31 00:00,Jane Doe,500,,2023-03-31 08:00,2023-03-02 08:00,'
      'Sales Pipeline,1.5,false,,,,\n'
      '9006,Zeta,Appointment scheduled,,Jane Doe,700,,2023-04-01 08:00,2023-03-05 08:00,'
      'Sales Pipeline,0.2,false,,,,\n',
      bom=True, newline='\r\n')

# HubSpot variant (b): no BOM, LF, every field quoted, no "Is Deal Closed?" column
write('hubspot/hubspot-crm-exports-q2-deals-2023-05-16.csv',
      '"Record ID","Deal Name","Deal Stage","Close Date","Deal owner","Amount","Create Date","Pipeline",'
      '"Associated Contact"\n'
      '"9101","Omega","Closed Lost","2023-05-10 10:00","Mark Stringer","1200.5","2023-04-01 09:00",'
      '"Sales Pipeline","Liam O‚ÄôConnor"\n'
      '"9102","Sigma","Closed Won","2023-05-12 15:00","Mark Stringer","800","2023-04-02 09:00","Sales Pipeline",'
      '"Ann Lee;Bob Lee"\n'
      '"9103","Tau","Appointment scheduled","2023-07-01 00:00","Jane Doe","","2023-05-01 09:00","Sales Pipeline",'
      '""\n')

# Pipedrive: "Deal - Title" headers, comma, quoted, UTF-8 without BOM; expected close date as
# YYYY-MM-DD, probability 0-100 (blank when unset)
write('pipedrive/deals-export.csv',
      '"Deal - ID","Deal - Title","Deal - Value","Deal - Currency","Deal - Owner","Deal - Pipeline","Deal - Stage",'
      '"Deal - Status","Deal - Deal created","Deal - Update time","Deal - Won time","Deal - Lost time",'
      '"Deal - Lost reason","Deal - Organization","Deal - Contact person","Deal - Source","Deal - Label",'
      '"Deal - Expected close date","Deal - Probability"\n'
      '"1","Website redesign","1,500.00","USD","Alice Smith","Sales","Negotiation","won","2024-02-01 10:00:00",'
      '"2024-02-20 12:00:00","2024-02-20 11:59:00","","","Foo LLC","John Roe","Web forms","hot","2024-02-15","100"\n'
      '"2","SEO audit","800","EUR","Bob Brown","Sales","Qualified","lost","2024-02-03 10:00:00",'
      '"2024-03-05 09:00:00","","2024-03-05 09:00:00","Too expensive","","","","","2024-03-31","0"\n'
      '"3","Ads setup","2000","USD","Alice Smith","Sales","Qualified","open","2024-02-10 10:00:00",'
      '"2024-02-11 10:00:00","","","","","","","","","60"\n'
      '"4","Old one","100","USD","Bob Brown","Sales","Qualified","archived","2024-01-01 10:00:00",'
      '"2024-01-01 10:00:00","","","","","","","","",""\n'
      '"5","Logo","300","USD","Bob Brown","Sales","Qualified","open","2024-02-12 10:00:00",'
      '"2024-02-12 10:00:00","","","","","","","","2024-04-30","high"\n')

# Salesforce report "Details only" CSV in ISO-8859-1 (windows-1252), CRLF, with the report footer
write('salesforce/report1716200000000.csv',
      '"Opportunity Owner","Account Name","Opportunity Name","Stage","Fiscal Period","Amount Currency","Amount",'
      '"Probability (%)","Close Date","Created Date","Lead Source","Won","Closed","Opportunity ID"\n'
      '"Sarah Connor","Société Générale","SG - Platform","Closed Won","Q1-2024","EUR","€12,500.00","100",'
      '"3/28/2024","1/5/2024","Web","1","1","0065g00000AbCdEAA1"\n'
      '"Kyle Reese","Cyberdyne","Cyberdyne - Pilot","Negotiation/Review","Q2-2024","USD","USD 8,000.00","90",'
      '"6/30/2024","2/10/2024","Partner Referral","0","0","0065g00000AbCdFAA1"\n'
      '"Sarah Connor","Tech Noir","TN - Upgrade","Closed Lost","Q1-2024","USD","$3,000.50","0","2/15/2024",'
      '"1/20/2024","","0","1","0065g00000AbCdGAA1"\n'
      '"Kyle Reese","Cyberdyne","Cyberdyne - Support","Prospecting","Q3-2024","USD","USD 1,000.00","150",'
      '"7/31/2024","3/1/2024","Web","0","0","0065g00000AbCdHAA1"\n'
      '"Kyle Reese","Tech Noir","TN - Training","Qualification","Q3-2024","USD","USD 2,000.00","10",'
      '"","3/2/2024","Web","0","0","0065g00000AbCdIAA1"\n'
      '\n'
      '"SF Opportunities report"\n'
      '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."\n'
      '"Confidential Information - Do Not Distribute"\n'
      '"Generated By:  Sarah Connor  5/20/2024 9:15 AM"\n'
      '"Skynet Inc."\n',
      encoding='cp1252', newline='\r\n')

# generic table + mapping file: windows-1251, ';', 1.250.000,75, dd/MM/yyyy HH:mm in Moscow time
write('mapping/sales.csv',
      'Номер;Сделка;Этап;Сумма;Менеджер;Создана;Закрыта;Откуда;Комментарий\n'
      '1;Кухня;Оплачено;1.250.000,75;Анна;01/02/2024 12:00;05/02/2024 15:30;Авито;срочно\n'
      '2;Шкаф;Замер;80.000;Борис;03/02/2024 10:00;;Сайт;\n'
      '3;Стол;Отказ;15.000,00;Анна;04/02/2024 11:00;06/02/2024 11:00;;\n'
      '4;Полка;Замер;10,5;Борис;32/02/2024 10:00;;;\n',
      encoding='cp1251', newline='\r\n')
write('mapping/sales.mapping.yaml',
      '# sales.csv from a home-grown CRM\n'
      'entity: deal\n'
      'encoding: windows-1251\n'
      'delimiter: ";"\n'
      'decimal_separator: ","\n'
      'thousands_separator: "."\n'
      'date_pattern: "dd/MM/yyyy HH:mm"\n'
      'timezone: Europe/Moscow\n'
      'currency: RUB\n'
      'pipeline: Мебель\n'
      'columns:\n'
      '  deal_id: Номер\n'
      '  title: Сделка\n'
      '  stage: Этап\n'
      '  amount: Сумма\n'
      '  owner: Менеджер\n'
      '  created_at: Создана\n'
      '  closed_at: Закрыта\n'
      '  source: Откуда\n'
      'stages:\n'
      '  Оплачено: won\n'
      '  Отказ: lost\n'
      'stage_order: [Замер, Договор]\n'
      'channels:\n'
      '  Авито: classifieds\n')

# Bitrix24 contact CSV: the deal export's form (every value quoted, ';' after each, LF, UTF-8 with BOM);
# a quoted newline in Комментарий, a row without a name, a bad date
B24_CONTACT_HEAD = ('"ID";"Обращение";"Имя";"Отчество";"Фамилия";"Компания";"Должность";"Ответственный";'
                    '"Дата создания";"Дата изменения";"Источник";"Рабочий телефон";"Мобильный телефон";'
                    '"Рабочий e-mail";"Комментарий";\n')
write('bitrix24/contacts_utf8.csv', B24_CONTACT_HEAD +
      '"101";"";"Пётр";"Иванович";"Сидоров";"ООО Вектор";"Инженер";"Елена Соколова";"05.01.2024 10:00:00";'
      '"06.01.2024 11:00:00";"Рекомендация";"+7 812 222-33-44";"";"petr@vector.ru";"Звонить ""после обеда""\n'
      'по будням";\n'
      '"102";"г-жа";"Мария";"";"Орлова";"";"";"Игорь Волков";"08.01.2024 09:30:00";"";"Выставка";"";'
      '"+7 900 111-22-33";"";"";\n'
      '"103";"";"";"";"";"ООО Вектор";"";"Игорь Волков";"09.01.2024 09:00:00";"";"";"";"";"";"";\n'
      '"104";"";"Анна";"";"Зайцева";"";"";"Игорь Волков";"32.01.2024 10:00:00";"";"";"";"";"";"";\n',
      bom=True)

# the same layout from an on-premise portal in windows-1251, no BOM
write('bitrix24/contacts_cp1251.csv', B24_CONTACT_HEAD +
      '"201";"";"Фёдор";"";"Ёжиков";"ООО Ёлка";"";"Фёдор Ёжиков";"01.12.2023 09:00:00";"";"";"";"";'
      '"fedor@elka.ru";"";\n',
      encoding='cp1251')

# Bitrix24 company CSV (UTF-8 with BOM): a ';' inside a quoted address, a row without a name
write('bitrix24/companies_utf8.csv',
      '"ID";"Название компании";"Тип компании";"Сфера деятельности";"Ответственный";"Дата создания";'
      '"Дата изменения";"Рабочий телефон";"Рабочий e-mail";"Адрес";\n'
      '"11";"ООО Вектор";"Клиент";"Производство";"Елена Соколова";"02.01.2024 08:00:00";"03.01.2024 09:00:00";'
      '"+7 812 000-00-00";"info@vector.ru";"г. Санкт-Петербург; Невский пр., 1";\n'
      '"12";"ООО Альфа";"Партнёр";"Информационные технологии";"Игорь Волков";"04.01.2024 12:00:00";"";"";"";"";\n'
      '"13";"";"Клиент";"";"Игорь Волков";"05.01.2024 12:00:00";"";"";"";"";\n',
      bom=True)

# Bitrix24 "Excel" contact export: an HTML table in windows-1251 named by its <meta> (Russian portal)
write('bitrix24/contacts_excel.xls',
      '<meta http-equiv="Content-type" content="text/html;charset=windows-1251" />\n'
      '<table border="1">\n<thead>\n<tr>\n<th>ID</th><th>Имя</th><th>Фамилия</th><th>Компания</th>'
      '<th>Ответственный</th><th>Дата создания</th><th>Рабочий e-mail</th>\n</tr>\n</thead>\n<tbody>\n'
      '<tr><td>301</td><td>Ирина</td><td>Ёлкина</td><td>ООО Альфа</td><td>Игорь Волков</td>'
      '<td>12.01.2024 14:00:00</td><td>irina@alfa.ru</td></tr>\n'
      '</tbody>\n</table>\n',
      encoding='cp1251')

# Bitrix24 "Excel" company export: HTML, UTF-8, English portal, 12-hour times
write('bitrix24/companies_excel.xls',
      '<meta http-equiv="Content-type" content="text/html;charset=UTF-8" />\n'
      '<table border="1">\n<thead>\n<tr>\n<th>ID</th><th>Company Name</th><th>Company Type</th><th>Industry</th>'
      '<th>Responsible</th><th>Created</th><th>Work Phone</th>\n</tr>\n</thead>\n<tbody>\n'
      '<tr><td>41</td><td>Smith &amp; Sons</td><td>Customer</td><td>Manufacturing</td><td>John Smith</td>'
      '<td>01/10/2024 09:00 am</td><td>+1 212 555 0101</td></tr>\n'
      '<tr><td>42</td><td>Initech</td><td>Partner</td><td></td><td>John Smith</td>'
      '<td>01/12/2024 03:30 pm</td><td></td></tr>\n'
      '</tbody>\n</table>\n')

# HubSpot contacts, variant (a): UTF-8 BOM + CRLF, minimal quoting, "Associated Company" twice, mojibake,
# a multi-valued company id list, a row without a name, a bad date, a repeated Record ID
write('hubspot/hubspot-crm-exports-all-contacts-2023-04-03.csv',
      'Record ID,First Name,Last Name,Email,Phone Number,Contact owner,Create Date,Last Modified Date,'
      'Lifecycle Stage,Original Source,Associated Company,Associated Company IDs,Associated Company\n'
      '7001,Ann,Lee,ann@acme.com,+1 415 555 0100,Mark Stringer,2023-01-05 10:00,2023-03-01 09:00,Customer,'
      'Organic Search,Acme Inc,5001,Acme Inc\n'
      '7002,Liam,O‚ÄôConnor,liam@beta.com,,Jane Doe,2023-01-06 11:00,,Lead,Paid Search,"Beta, Inc.",5002;5003,'
      '"Beta, Inc."\n'
      '7003,Bob,Lee,,+1 (650) 450-8812,,2023-01-07 12:00,,Subscriber,,Gamma LLC,,Gamma LLC\n'
      '7004,,,nobody@example.com,,,2023-01-08 09:00,,,,,,\n'
      '7005,Eve,Stone,eve@stone.io,,Jane Doe,2023-02-30 10:00,,,,,,\n'
      '7001,Ann,Lee,ann.lee@acme.com,,,2023-01-09 10:00,,,,,,\n',
      bom=True, newline='\r\n')

# HubSpot companies, variant (b): no BOM, LF, every field quoted; industry labels; a row without a name
write('hubspot/hubspot-crm-exports-all-companies-2023-04-03.csv',
      '"Record ID","Company name","Company owner","Create Date","Industry","Lifecycle Stage","Phone Number",'
      '"Company Domain Name","Last Modified Date"\n'
      '"5001","Acme Inc","Mark Stringer","2022-11-01 09:00","Machinery","Customer","+1 415 555 0199","acme.com",'
      '"2023-03-16 09:00"\n'
      '"5002","Beta, Inc.","Jane Doe","2022-12-01 10:00","Computer Software","Opportunity","","beta.com",""\n'
      '"5004","Gamma LLC","","2023-02-10 09:00","","Lead","","gamma.io",""\n'
      '"5005","","Jane Doe","2023-02-11 09:00","","","","",""\n')
