// SPDX-License-Identifier: GPL-2.0+
/*
 * 003-pciehp-reset, buggy: bringing a slot down. Both event handlers run
 * in pciehp's IRQ thread with ctrl->reset_lock held for read
 * (pciehp_hpc.c), and unconfiguring the slot removes every device below
 * it - unbinding each from its driver under its device lock - without
 * letting go of reset_lock.
 */
/* expect: none */

#include "scenario.h"

#define SAFE_REMOVAL		true
#define SURPRISE_REMOVAL	false

void pciehp_unconfigure_device(struct controller *ctrl, bool presence)
{
	struct pci_bus *parent = ctrl->pcie->port->subordinate;
	struct pci_dev *dev, *temp;

	lockdep_assert_held(&ctrl->reset_lock);

	/* Last on the bus first, so that VFs go before their PF. */
	list_for_each_entry_safe_reverse(dev, temp, &parent->devices, bus_list) {
		pci_dev_get(dev);
		if (!presence)
			pci_dev_set_disconnected(dev, NULL);
		pci_stop_and_remove_bus_device(dev);
		pci_dev_put(dev);
	}
}

static void remove_board(struct controller *ctrl, bool safe_removal)
{
	pciehp_unconfigure_device(ctrl, safe_removal);

	pciehp_power_off_slot(ctrl);
	/* let the slot's power rail settle before anything else happens */
	msleep(1000);
	pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_OFF,
			      PCI_EXP_SLTCTL_ATTN_IND_OFF);
}

static void pciehp_disable_slot(struct controller *ctrl, bool safe_removal)
{
	remove_board(ctrl, safe_removal);

	mutex_lock(&ctrl->state_lock);
	ctrl->state = OFF_STATE;
	mutex_unlock(&ctrl->state_lock);
}

void pciehp_handle_disable_request(struct controller *ctrl)
{
	mutex_lock(&ctrl->state_lock);
	if (ctrl->state != ON_STATE) {
		mutex_unlock(&ctrl->state_lock);
		return;
	}
	ctrl->state = POWEROFF_STATE;
	mutex_unlock(&ctrl->state_lock);

	pciehp_disable_slot(ctrl, SAFE_REMOVAL);
}

void pciehp_handle_presence_or_link_change(struct controller *ctrl, u32 events)
{
	bool present;

	mutex_lock(&ctrl->state_lock);
	present = pciehp_card_present_or_link_active(ctrl) > 0;
	if (present || ctrl->state != ON_STATE) {
		mutex_unlock(&ctrl->state_lock);
		return;
	}
	ctrl->state = POWEROFF_STATE;
	mutex_unlock(&ctrl->state_lock);

	ctrl_info(ctrl, "Slot(%u): card removed\n",
		  ctrl->hotplug_slot.pci_slot->number);
	pciehp_disable_slot(ctrl, SURPRISE_REMOVAL);
}
